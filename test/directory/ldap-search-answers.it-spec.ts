/**
 * The search answers the LDAP server writes itself (search-answer.ts), read back by Debian's ldapsearch: DNs in
 * their canonical form even when published otherwise, certificates byte for byte, the attributes asked for, the
 * filter still applied to CA entries when a meter's equality narrows the read, size limits and paged results.
 */
import { execFile } from 'node:child_process';
import type { DirectoryStore } from '@smpki/directory';
import { startLdapServerFixture, type LdapServerFixture } from './support/ldap-server-fixture';

const CA_DN = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
const METERS = 5;
const VERSION = '2026-11-01T00:00:00.000Z';

const meterId = (index: number) => `1EMH${String(index).padStart(10, '0')}`;
/** A DER SEQUENCE per meter, long enough for multi-byte BER lengths. */
const certificateOf = (index: number) => Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x2c]), Buffer.alloc(300, index)]);

async function fill(store: DirectoryStore): Promise<void> {
  await store.apply([{ kind: 'ca', ca: 'calibration', dn: CA_DN, certificate: certificateOf(0).toString('base64'), version: VERSION }]);
  await store.apply(
    Array.from({ length: METERS }, (_, offset) => {
      const index = offset + 1;
      // Meter 3 is published with spaces after the commas: LDAP answers its DN in the canonical form.
      const dn = index === 3 ? `serialNumber=${meterId(index)}, cn=SM-Test-Calibration.CA, o=SM-Test-PKI-DE, c=DE` : `serialNumber=${meterId(index)},${CA_DN}`;
      return { kind: 'certificate' as const, ca: 'calibration', dn, certificate: certificateOf(index).toString('base64'), serial: `0${index}`, fingerprint: 'f'.repeat(64), meterId: meterId(index), revoked: false, version: VERSION };
    }),
  );
}

interface Answer {
  status: number;
  stdout: string;
}

describe('LDAP search answers', () => {
  let fixture: LdapServerFixture;

  const ldapsearch = (...args: string[]): Promise<Answer> =>
    new Promise((resolve) => {
      execFile('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', `ldap://127.0.0.1:${fixture.port}`, ...args], (error, stdout) => {
        resolve({ status: error ? Number((error as { code?: number }).code) : 0, stdout });
      });
    });
  const dnsOf = (answer: Answer) => (answer.stdout.match(/^dn: .*$/gm) ?? []).map((line) => line.slice(4));
  const valuesOf = (answer: Answer, attribute: string) =>
    answer.stdout
      .split('\n')
      .filter((line) => line.startsWith(`${attribute}:`))
      .map((line) => (line.startsWith(`${attribute}:: `) ? Buffer.from(line.slice(attribute.length + 3), 'base64') : Buffer.from(line.slice(attribute.length + 2))));

  beforeAll(async () => {
    fixture = await startLdapServerFixture(fill);
  }, 60_000);

  afterAll(() => fixture?.close());

  it('answers a base search with the certificate byte for byte and only the attributes asked for', async () => {
    const answer = await ldapsearch('-s', 'base', '-b', `serialNumber=${meterId(2)},${CA_DN}`, '(objectClass=*)', 'userCertificate;binary', 'cn');
    expect(answer.status).toBe(0);
    expect(dnsOf(answer)).toEqual([`serialNumber=${meterId(2)},${CA_DN}`]);
    expect(valuesOf(answer, 'userCertificate;binary')).toEqual([certificateOf(2)]);
    expect(answer.stdout).not.toContain('serialNumber:');
    const noAttributes = await ldapsearch('-s', 'base', '-b', `serialNumber=${meterId(2)},${CA_DN}`, '(objectClass=*)', '1.1');
    expect(noAttributes.stdout.trim()).toBe(`dn: serialNumber=${meterId(2)},${CA_DN}`);
  });

  it('answers a subtree search by meter id case-insensitively, with the DN in canonical form', async () => {
    const answer = await ldapsearch('-b', CA_DN, `(serialNumber=${meterId(3).toLowerCase()})`, 'userCertificate', 'serialNumber');
    expect(answer.status).toBe(0);
    expect(dnsOf(answer)).toEqual([`serialNumber=${meterId(3)},${CA_DN}`]);
    expect(valuesOf(answer, 'serialNumber')).toEqual([Buffer.from(meterId(3))]);
    expect(valuesOf(answer, 'userCertificate;binary')).toEqual([certificateOf(3)]);
  });

  it('still applies the filter to CA entries read by an indexed equality', async () => {
    const byCn = await ldapsearch('-b', 'c=DE', '(cn=sm-test-calibration.ca)', 'cn');
    expect(dnsOf(byCn)).toEqual([CA_DN]);
    const narrowed = await ldapsearch('-b', 'c=DE', `(&(serialNumber=${meterId(1)})(objectClass=pkiCA))`, 'cn');
    expect(narrowed.status).toBe(0);
    expect(dnsOf(narrowed)).toEqual([]);
  });

  it('sends the entries found before sizeLimitExceeded, then the result code', async () => {
    const answer = await ldapsearch('-z', '2', '-b', CA_DN, '-s', 'one', '(objectClass=*)', '1.1');
    expect(answer.status).toBe(4);
    expect(dnsOf(answer)).toEqual([1, 2].map((index) => `serialNumber=${meterId(index)},${CA_DN}`));
  });

  it('answers noSuchObject for an unknown base, and keeps serving the connection', async () => {
    const answer = await ldapsearch('-s', 'base', '-b', `serialNumber=1EMH9999999999,${CA_DN}`, '(objectClass=*)');
    expect(answer.status).toBe(32);
    expect((await ldapsearch('-s', 'base', '-b', 'c=DE', '(objectClass=*)', 'c')).stdout).toContain('c: DE');
  });

  it('pages a subtree with the paged-results control, every entry once and in order', async () => {
    const answer = await ldapsearch('-E', 'pr=2/noprompt', '-b', 'c=DE', '(objectClass=*)', '1.1');
    expect(answer.status).toBe(0);
    expect(dnsOf(answer)).toEqual(['c=DE', 'o=SM-Test-PKI-DE,c=DE', CA_DN, ...Array.from({ length: METERS }, (_, offset) => `serialNumber=${meterId(offset + 1)},${CA_DN}`)]);
  });
});
