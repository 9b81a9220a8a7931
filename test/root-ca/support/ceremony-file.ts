/** The test root's ceremony file (SM-Test-Root.CA, generation 1, brainpoolP384r1), with overrides. */
export function ceremonyFile(keyUri: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'test-root-1',
    keyUri,
    subject: [
      { type: 'CN', value: 'SM-Test-Root.CA' },
      { type: 'O', value: 'SM-Test-PKI-DE' },
      { type: 'C', value: 'DE' },
      { type: 'serialNumber', value: '1' },
    ],
    curve: 'brainpoolP384r1',
    validityYears: 10,
    crl: { ldap: 'ldap://ldap.test.invalid/CN=SM-Test-Root.CA,O=SM-Test-PKI-DE,C=DE?certificateRevocationList', http: 'http://crl.test.invalid/root.crl', validityHours: 720 },
    ...overrides,
  });
}
