/**
 * What a checkpoint signs and how it is verified.
 *
 *   payload = LP("smpki-audit-checkpoint/v1") || LP(decimal seq) || LP(head hash) || LP(previous checkpoint hash)
 *             || LP(time, ISO 8601 UTC with ms) || LP(signer key URI) || LP(signer SPKI DER)
 *   hash      = SHA-256(payload)            (the next checkpoint's "previous checkpoint hash")
 *   signature = ECDSA(payload), DER, hashed with SHA-256 / SHA-384 / SHA-512 after the key size
 *
 * This is the `seq || head hash || previous checkpoint hash` of the design, length-prefixed and tagged so it can
 * never be confused with another signed structure, plus the time and the signer so they cannot be edited either.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { Curve, HashAlgorithm } from '@smpki/hsm';
import { LengthPrefixedEncoder } from './length-prefixed';

export const AUDIT_CHECKPOINT_DOMAIN = 'smpki-audit-checkpoint/v1';

export interface CheckpointSignedFields {
  seq: number;
  headHash: Buffer;
  prevCheckpointHash: Buffer;
  time: Date;
  signerKeyUri: string;
  signerSpki: Buffer;
}

export function checkpointPayload(fields: CheckpointSignedFields): Buffer {
  return new LengthPrefixedEncoder(AUDIT_CHECKPOINT_DOMAIN)
    .text(String(fields.seq))
    .bytes(fields.headHash)
    .bytes(fields.prevCheckpointHash)
    .text(fields.time.toISOString())
    .text(fields.signerKeyUri)
    .bytes(fields.signerSpki)
    .encode();
}

export function checkpointHash(payload: Buffer): Buffer {
  return createHash('sha256').update(payload).digest();
}

/** The hash the Signer is asked to use: matched to the curve size, so the verifier can derive it from the key. */
export function checkpointSignatureHash(curve: Curve): HashAlgorithm {
  switch (curve) {
    case 'brainpoolP256r1':
    case 'P-256':
      return 'SHA-256';
    case 'brainpoolP384r1':
    case 'P-384':
      return 'SHA-384';
    case 'brainpoolP512r1':
      return 'SHA-512';
  }
}

/** OpenSSL curve names (as node:crypto reports them) and the digest a checkpoint signature uses with each. */
const DIGEST_BY_OPENSSL_CURVE: Readonly<Record<string, string>> = {
  brainpoolP256r1: 'sha256',
  prime256v1: 'sha256',
  brainpoolP384r1: 'sha384',
  secp384r1: 'sha384',
  brainpoolP512r1: 'sha512',
};

/** Verifies a DER ECDSA signature over the payload with an SPKI; returns why it fails, or undefined when valid. */
export function checkpointSignatureProblem(spki: Buffer, payload: Buffer, signature: Buffer): string | undefined {
  let curve: string | undefined;
  let key;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    return 'the signer public key is not a valid SubjectPublicKeyInfo';
  }
  const digest = curve ? DIGEST_BY_OPENSSL_CURVE[curve] : undefined;
  if (!digest) return `the signer key is not an EC key on a supported curve (${curve ?? key.asymmetricKeyType})`;
  try {
    return verify(digest, payload, { key, dsaEncoding: 'der' }, signature) ? undefined : 'bad signature';
  } catch {
    return 'bad signature (not a DER ECDSA signature)';
  }
}
