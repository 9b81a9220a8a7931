/**
 * ECDSA verification with node:crypto (OpenSSL), which knows the brainpool curves (WebCrypto does not).
 * Signatures are DER ECDSA-Sig-Value, as in certificates, CRLs and requests.
 */
import { verify, type KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '@smpki/hsm';
import { nodeHashName } from './hash-algorithm';
import { publicKeyObject } from './keys/subject-public-key-info';

export interface SignatureCheck {
  /** The signer's SubjectPublicKeyInfo DER, or a node:crypto key made from it (cache it when verifying many). */
  publicKey: Uint8Array | KeyObject;
  data: Uint8Array;
  /** DER ECDSA-Sig-Value. */
  signature: Uint8Array;
  hash: HashAlgorithm;
}

/** true when the signature verifies; false for a wrong signature, including one that is not valid DER. */
export function verifyEcdsaSignature(check: SignatureCheck): boolean {
  const key = check.publicKey instanceof Uint8Array ? publicKeyObject(check.publicKey) : check.publicKey;
  try {
    return verify(nodeHashName(check.hash), check.data, { key, dsaEncoding: 'der' }, check.signature);
  } catch {
    return false;
  }
}
