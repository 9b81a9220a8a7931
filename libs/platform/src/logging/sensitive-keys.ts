/**
 * Keys whose values never reach a log line. A key is sensitive when, lower-cased without separators, it is one of
 * EXACT or ends with one of SUFFIXES: `pin`, `userPin`, `SMPKI_HSM_PIN`, `password`, `clientSecret`, `accessToken`,
 * `authorization`, `Set-Cookie`. `tokenLabel` or `tokenTtlSeconds` stay readable: the word has to end the key.
 */
const EXACT = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie', 'privatekey', 'apikey', 'xapikey']);
const SUFFIXES = ['pin', 'password', 'passwd', 'passphrase', 'secret', 'token'];

export const REDACTED_VALUE = '[REDACTED]';

export function isSensitiveKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return EXACT.has(normalized) || SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}
