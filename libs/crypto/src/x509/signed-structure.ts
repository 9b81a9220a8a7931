/**
 * The envelope shared by certificates, CRLs and PKCS#10 requests: SEQUENCE { tbs, signatureAlgorithm, BIT STRING
 * signature }. Signing goes through the key-manager {@link Signer} (the key stays in the HSM); verification reads
 * the exact signed bytes from the input rather than re-encoding them.
 */
import type { Signer } from '@smpki/hsm';
import { ecdsaDerToRaw } from '../ecdsa/ecdsa-signature';
import { DerSequenceReader, readWhole, type Tlv } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { derBitString, derSequence } from '../der/der-writer';
import { decodeBitString } from '../der/der-values';
import { CryptoInputError } from '../crypto-input-error';
import type { SignatureAlgorithm } from '../signature-algorithm';

export function encodeSignedStructure(tbs: Uint8Array, algorithm: SignatureAlgorithm, signature: Uint8Array): Buffer {
  return derSequence(tbs, algorithm.der, derBitString(signature));
}

/**
 * Signs `tbs` with the signer (DER ECDSA) and checks the result is a DER signature of the signer's curve, so a
 * backend that returned r||s by mistake cannot produce certificates nobody can verify.
 */
export async function signTbs(tbs: Buffer, signer: Signer, algorithm: SignatureAlgorithm): Promise<Buffer> {
  return checkedSignature(await signer.sign(tbs, { hash: algorithm.hash, format: 'der' }), signer);
}

export function checkedSignature(signature: Buffer, signer: Signer): Buffer {
  try {
    ecdsaDerToRaw(signature, signer.curve);
  } catch (error) {
    throw new Error(`signer ${signer.keyUri} returned a signature that is not a DER ECDSA-Sig-Value on ${signer.curve}: ${(error as Error).message}`);
  }
  return signature;
}

export interface SignedStructure {
  /** The whole encoding. */
  der: Buffer;
  /** The to-be-signed element (the signed bytes), as a view into `der`. */
  tbs: Buffer;
  tbsTlv: Tlv;
  /** The DER AlgorithmIdentifier as encoded in the envelope (parse it with {@link parseSignatureAlgorithm}). */
  signatureAlgorithmDer: Buffer;
  /** The signature value (DER ECDSA-Sig-Value) from the BIT STRING. */
  signature: Buffer;
}

/** Splits the envelope; the algorithm is left to the caller, so it can check the more telling fields first. */
export function splitSignedStructure(der: Buffer, what: string): SignedStructure {
  const outer = readWhole(der, DerTag.SEQUENCE, what);
  const reader = new DerSequenceReader(der, outer, what);
  const tbsTlv = reader.next(DerTag.SEQUENCE, 'to-be-signed part');
  const algorithmTlv = reader.next(DerTag.SEQUENCE, 'signatureAlgorithm');
  const signatureTlv = reader.next(DerTag.BIT_STRING, 'signature');
  reader.end();
  const signatureAlgorithmDer = der.subarray(algorithmTlv.offset, algorithmTlv.end);
  const { unusedBits, bytes: signature } = decodeBitString(der.subarray(signatureTlv.valueOffset, signatureTlv.end), `${what} signature`);
  if (unusedBits !== 0) throw new CryptoInputError('signature.malformed', `${what} signature BIT STRING has unused bits`);
  return {
    der,
    tbs: der.subarray(tbsTlv.offset, tbsTlv.end),
    tbsTlv,
    signatureAlgorithmDer,
    signature,
  };
}

/** RFC 5280: the algorithm inside the signed part must equal the outer one. */
export function assertSameAlgorithm(inner: Buffer, outer: Buffer, what: string): void {
  if (!inner.equals(outer)) throw new CryptoInputError('der.malformed', `${what}: the signature algorithm inside the signed part differs from the outer one`);
}
