/**
 * The one error type of @smpki/crypto for input that is wrong (malformed DER, a key on a curve we do not accept, a
 * signature that does not verify). Its `rule` names what was wrong in a stable, machine-readable way: services turn
 * it into a 4xx problem document that names the rule, and the audit trail records it.
 *
 * Messages describe the input's structure only; they never contain key material.
 */
export type CryptoInputRule =
  /** Not DER, truncated, trailing bytes, wrong tag, or a field out of its allowed range. */
  | 'der.malformed'
  /** Text that should be PEM is not (no BEGIN/END block with the expected label, bad base64). */
  | 'pem.malformed'
  /** A public key that is not id-ecPublicKey (RSA, DSA, Ed25519, ...). */
  | 'key.algorithm-not-allowed'
  /** An EC key on a named curve outside the allowed set (e.g. secp256k1), or implicitlyCA parameters. */
  | 'key.curve-not-allowed'
  /** An EC key with explicit (specified) curve parameters instead of a named-curve OID (RFC 5480 forbids them). */
  | 'key.explicit-parameters'
  /** An EC point that is compressed, of the wrong length, or not on the curve. */
  | 'key.point-invalid'
  /** A signature algorithm other than ECDSA with SHA-256/384/512 (with absent parameters). */
  | 'signature.algorithm-not-allowed'
  /** A signature value that is not a DER ECDSA-Sig-Value of the curve's size. */
  | 'signature.malformed'
  /** A certificate or CRL signature that does not verify under the issuer's key. */
  | 'signature.invalid'
  /** A request's self-signature (proof of possession) that does not verify under the requested key. */
  | 'pop.signature-invalid'
  /** A certificate, CRL or request version other than the one the structure requires. */
  | 'version.unsupported'
  /** A name attribute value that cannot be encoded as required (e.g. C not two letters, non-printable serialNumber). */
  | 'name.value-invalid'
  /** A GeneralName that cannot be encoded (non-ASCII in an IA5String name, bad IP address). */
  | 'general-name.invalid'
  /** A serial number that is not a positive integer of at most 20 octets. */
  | 'serial.invalid'
  /** notBefore not before notAfter, thisUpdate not before nextUpdate, or a date outside what X.509 can encode. */
  | 'validity.invalid'
  /** The same extension twice in one certificate, request or CRL (RFC 5280 4.2). */
  | 'extension.duplicate'
  /** An extension whose value does not decode as its type requires. */
  | 'extension.malformed'
  /** A CRL entry that cannot be encoded as given (e.g. a certificateIssuer on an entry of a CRL that is not indirect). */
  | 'crl.entry-invalid';

export class CryptoInputError extends Error {
  override readonly name = 'CryptoInputError';

  constructor(
    readonly rule: CryptoInputRule,
    message: string,
  ) {
    super(message);
  }
}

export function isCryptoInputError(error: unknown): error is CryptoInputError {
  return error instanceof CryptoInputError;
}
