import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A recognisable prefix, so a leaked secret is easy to spot in logs, tickets and secret scanners. */
const PREFIX = 'smpki-bootstrap-';
const SECRET_BYTES = 32;
/** Longer input is not a secret this service printed; it is refused before hashing. */
export const MAX_BOOTSTRAP_SECRET_LENGTH = 128;

export function generateBootstrapSecret(): string {
  return `${PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

export function hashBootstrapSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares hashes in constant time: how much of a guess was right never shows in the response time. */
export function bootstrapSecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashBootstrapSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
