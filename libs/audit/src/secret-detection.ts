/**
 * The audit trail never stores secrets. Event details are refused when they contain
 *
 * - a key that, lower-cased with every character other than a-z and 0-9 removed, ends with one of
 *   SECRET_KEY_SUFFIXES: `pin`, `userPin`, `so_pin`, `password`, `newPassword`, `clientSecret`, `accessToken`,
 *   `privateKey`, `private_key`, `apiKey`, ... Keys that only mention such a word are allowed: `tokenLabel`,
 *   `pinPolicy`, `privateKeyUri`, `secretKeyUri` name things, they do not hold them;
 * - a string value holding a PEM private key (`-----BEGIN ... PRIVATE KEY-----`).
 *
 * Refusing (rather than silently stripping) makes the mistake visible in the first test that records such an
 * event, and the error names the key path, never the value.
 */

export const SECRET_KEY_SUFFIXES: readonly string[] = [
  'pin',
  'puk',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'privatekey',
  'secretkey',
  'apikey',
];

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

export function isSecretLikeKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
}

/** The path of the first secret-looking key or value in `value`, or undefined. */
export function findSecret(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'string') return PEM_PRIVATE_KEY.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || value instanceof Date) return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecret(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, member] of Object.entries(value)) {
    if (isSecretLikeKey(key)) return `${path}.${key}`;
    const found = findSecret(member, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}
