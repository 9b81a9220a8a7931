/**
 * PKCS#10 certification requests (RFC 2986): parsed, the requested key checked (named brainpool/NIST curve, no RSA,
 * no explicit parameters) and the self-signature verified, which is the proof that the requester holds the private
 * key. Every refusal is a {@link CryptoInputError} whose rule names what was wrong.
 */
import type { Curve } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { DerSequenceReader, iterateChildren, malformed, readWhole, type Tlv } from '../der/der-reader';
import { contextTag, DerTag } from '../der/der-tags';
import { decodeSmallInteger } from '../der/der-values';
import { decodeOidContents } from '../der/object-identifier';
import { parseSubjectPublicKeyInfo, type EcPublicKeyInfo } from '../keys/subject-public-key-info';
import { Pkcs9Oids } from '../oids';
import { derFromInput, toPem } from '../pem';
import { parseSignatureAlgorithm, type SignatureAlgorithm } from '../signature-algorithm';
import { verifyEcdsaSignature } from '../verify-signature';
import type { SignatureVerifierPool } from '../verify-pool/signature-verifier-pool';
import { parseExtensions, type CertificateExtension } from '../x509/certificate-extension';
import { parseNameAt, type ParsedName } from '../x509/name';
import { splitSignedStructure } from '../x509/signed-structure';

export interface RequestAttribute {
  oid: string;
  /** Each value's DER. */
  values: Buffer[];
}

export interface ParsedCertificationRequest {
  der: Buffer;
  subject: ParsedName;
  /** The requested key, checked. */
  publicKey: EcPublicKeyInfo;
  /** Every attribute, the extension request included. */
  attributes: RequestAttribute[];
  /** The extensions of the PKCS#9 extensionRequest attribute (empty without one). */
  requestedExtensions: CertificateExtension[];
  signatureAlgorithm: SignatureAlgorithm;
  /** The signed bytes (CertificationRequestInfo). */
  info: Buffer;
  signature: Buffer;
  toPem(): string;
}

export interface CertificationRequestOptions {
  /** Curves a requested key may use (default: brainpoolP256r1/384r1/512r1, P-256, P-384). */
  allowedCurves?: readonly Curve[];
  /** Verify the self-signature (default true). Only skip it when the caller verifies it itself. */
  verifyProofOfPossession?: boolean;
  /**
   * Check the key's point with node:crypto while parsing (default true). Skipped by callers that verify on a
   * {@link SignatureVerifierPool}, whose worker checks the point as it decodes the key.
   */
  validatePoint?: boolean;
}

/** Parses a PKCS#10 request (DER or PEM), checks its key and verifies its proof of possession. */
export function parseCertificationRequest(input: Uint8Array | string, options: CertificationRequestOptions = {}): ParsedCertificationRequest {
  const der = derFromInput(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  const signed = splitSignedStructure(der, 'CertificationRequest');
  const what = 'CertificationRequestInfo';
  const reader = new DerSequenceReader(der, signed.tbsTlv, what);
  const version = reader.next(DerTag.INTEGER, 'version');
  if (decodeSmallInteger(der.subarray(version.valueOffset, version.end), `${what} version`) !== 0) {
    throw new CryptoInputError('version.unsupported', 'PKCS#10 request version must be v1 (0)');
  }
  const subject = parseNameAt(der, reader.next(DerTag.SEQUENCE, 'subject'), `${what} subject`);
  const spki = reader.next(DerTag.SEQUENCE, 'subjectPKInfo');
  // Attributes are [0] IMPLICIT SET OF; a few encoders leave the field out when it is empty.
  const attributesTlv = reader.optional(contextTag(0, true), 'attributes');
  reader.end();
  // The key first: an RSA or explicit-parameter request is refused for its key, whatever it was signed with.
  const publicKey = parseSubjectPublicKeyInfo(der.subarray(spki.offset, spki.end), { allowedCurves: options.allowedCurves, validatePoint: options.validatePoint });
  const signatureAlgorithm = parseSignatureAlgorithm(signed.signatureAlgorithmDer, 'CertificationRequest signatureAlgorithm');
  const attributes = attributesTlv ? parseAttributes(der, attributesTlv) : [];
  const request: ParsedCertificationRequest = {
    der,
    subject,
    publicKey,
    attributes,
    requestedExtensions: requestedExtensions(attributes),
    signatureAlgorithm,
    info: signed.tbs,
    signature: signed.signature,
    toPem: () => toPem(der, 'CERTIFICATE REQUEST'),
  };
  if (options.verifyProofOfPossession !== false) verifyProofOfPossession(request);
  return request;
}

/** Throws `pop.signature-invalid` unless the request's signature verifies under the key it requests. */
export function verifyProofOfPossession(request: ParsedCertificationRequest): void {
  const publicKey = request.publicKey.keyObject ?? request.publicKey.spki;
  const valid = verifyEcdsaSignature({ publicKey, data: request.info, signature: request.signature, hash: request.signatureAlgorithm.hash });
  if (!valid) throw popFailed(request);
}

/**
 * {@link verifyProofOfPossession} on a worker thread of `pool`, leaving the event loop free; also refuses a key
 * whose point is not on its curve (`key.point-invalid`), for requests parsed with `validatePoint: false`.
 */
export async function verifyProofOfPossessionOn(pool: SignatureVerifierPool, request: ParsedCertificationRequest): Promise<void> {
  const outcome = await pool.check({ publicKey: request.publicKey.spki, data: request.info, signature: request.signature, hash: request.signatureAlgorithm.hash });
  if (outcome === 'key-invalid') throw new CryptoInputError('key.point-invalid', 'the EC public key is not a point on its curve');
  if (outcome !== 'valid') throw popFailed(request);
}

function popFailed(request: ParsedCertificationRequest): CryptoInputError {
  return new CryptoInputError('pop.signature-invalid', `proof of possession failed: the request's ${request.signatureAlgorithm.name} signature does not verify under the requested ${request.publicKey.curve} key`);
}

function parseAttributes(der: Buffer, set: Tlv): RequestAttribute[] {
  return [...iterateChildren(der, set, 'attributes')].map((tlv) => {
    if (tlv.tag !== DerTag.SEQUENCE) throw malformed('attribute', 'must be a SEQUENCE');
    const reader = new DerSequenceReader(der, tlv, 'attribute');
    const oid = reader.next(DerTag.OBJECT_IDENTIFIER, 'type');
    const values = reader.next(DerTag.SET, 'values');
    reader.end();
    return { oid: decodeOidContents(der.subarray(oid.valueOffset, oid.end)), values: [...iterateChildren(der, values, 'attribute values')].map((value) => der.subarray(value.offset, value.end)) };
  });
}

function requestedExtensions(attributes: RequestAttribute[]): CertificateExtension[] {
  const requests = attributes.filter((attribute) => attribute.oid === Pkcs9Oids.extensionRequest);
  if (requests.length === 0) return [];
  if (requests.length > 1 || requests[0]!.values.length !== 1) throw malformed('extensionRequest', 'must appear once with one value');
  const value = requests[0]!.values[0]!;
  return parseExtensions(value, readWhole(value, DerTag.SEQUENCE, 'extensionRequest'), 'extensionRequest');
}
