/** Hash algorithm names as the key-manager contract spells them, and as node:crypto wants them. */
import type { HashAlgorithm } from '@smpki/hsm';

export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

/** `SHA-256` -> `sha256`. */
export function nodeHashName(hash: HashAlgorithm): 'sha256' | 'sha384' | 'sha512' {
  switch (hash) {
    case 'SHA-256':
      return 'sha256';
    case 'SHA-384':
      return 'sha384';
    case 'SHA-512':
      return 'sha512';
    default:
      throw new TypeError(`unsupported hash algorithm '${String(hash)}' (supported: ${HASH_ALGORITHMS.join(', ')})`);
  }
}
