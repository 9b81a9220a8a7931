/**
 * ECDSA signature and digest algorithm identifiers as CMS uses them (RFC 5754, RFC 5758): which hash an OID names.
 * Verification itself is the shared node:crypto verifier of @smpki/crypto (brainpool included).
 */
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '@smpki/hsm';
import { HASH_ALGORITHMS, nodeHashName } from '../hash-algorithm';
import { KeyAlgorithmOids, SignatureAlgorithmOids } from '../oids';

export const ECDSA_WITH_SHA_OIDS: Readonly<Record<HashAlgorithm, string>> = {
  'SHA-256': SignatureAlgorithmOids.ecdsaWithSha256,
  'SHA-384': SignatureAlgorithmOids.ecdsaWithSha384,
  'SHA-512': SignatureAlgorithmOids.ecdsaWithSha512,
};

/** Digest algorithms (NIST OIDs, RFC 5754). */
export const DIGEST_OIDS: Readonly<Record<HashAlgorithm, string>> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

/** id-ecPublicKey: some CMS signers put it as signatureAlgorithm and let digestAlgorithm name the hash. */
export const ID_EC_PUBLIC_KEY = KeyAlgorithmOids.ecPublicKey;

/** The hash of an ecdsa-with-SHA256/384/512 OID, or undefined for any other algorithm. */
export function ecdsaHashOf(signatureAlgorithmOid: string): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((hash) => ECDSA_WITH_SHA_OIDS[hash] === signatureAlgorithmOid);
}

/** The hash a digest algorithm OID names, or undefined. */
export function digestHashOf(digestAlgorithmOid: string): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((hash) => DIGEST_OIDS[hash] === digestAlgorithmOid);
}

export function digest(hash: HashAlgorithm, data: Uint8Array): Buffer {
  return createHash(nodeHashName(hash)).update(data).digest();
}
