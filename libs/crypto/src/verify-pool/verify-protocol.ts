/** Messages between the signature verifier pool and its worker threads (structured-clone friendly). */

/** One ECDSA check: the signer's SubjectPublicKeyInfo DER, the signed bytes, the DER signature. */
export interface VerifyJob {
  spki: Uint8Array;
  data: Uint8Array;
  signature: Uint8Array;
  /** node:crypto hash name: sha256, sha384 or sha512. */
  hash: string;
}

export interface VerifyBatch {
  id: number;
  jobs: VerifyJob[];
}

/** `key-invalid`: the SPKI is no key OpenSSL accepts (e.g. a point off the curve); the signature was not checked. */
export type VerifyOutcome = 'valid' | 'signature-invalid' | 'key-invalid';

export interface VerifyBatchResult {
  id: number;
  /** One per job, in order. */
  outcomes: VerifyOutcome[];
}
