import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifiedClientCertificate } from './client-certificate';
import { ClientCertificateRolesError, ClientCertificateRoleTable } from './client-certificate-role-table';
import { formatDn, parseDn } from './distinguished-name';

const FINGERPRINT = 'ab'.repeat(32);

function certificate(subject: string, options: { issuer?: string; fingerprint256?: string; policies?: string[] } = {}): VerifiedClientCertificate {
  const subjectRdns = parseDn(subject);
  const issuerRdns = parseDn(options.issuer ?? 'CN=smpki client CA,O=ACME,C=DE');
  return {
    raw: Buffer.alloc(0),
    subject: formatDn(subjectRdns),
    issuer: formatDn(issuerRdns),
    serialNumber: '01',
    fingerprint256: options.fingerprint256 ?? '00'.repeat(32),
    subjectRdns,
    issuerRdns,
    organizationalUnits: subjectRdns.flat().filter((a) => a.type === 'OU').map((a) => a.value),
    certificatePolicies: options.policies ?? [],
  };
}

function problemsOf(input: unknown): readonly string[] {
  try {
    ClientCertificateRoleTable.parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ClientCertificateRolesError);
    return (error as ClientCertificateRolesError).problems;
  }
  throw new Error('expected the table to be refused');
}

describe('ClientCertificateRoleTable', () => {
  const table = ClientCertificateRoleTable.parse({
    clientCertificates: [
      { fingerprint256: 'AB:'.repeat(31) + 'AB', roles: ['ca-operator'] },
      { subject: 'cn=GWA-1, o=ACME, c=DE', issuer: 'CN=smpki client CA,O=ACME,C=DE', roles: ['gateway-administrator'] },
      { certificatePolicy: '1.3.6.1.4.1.99999.2.1', roles: ['directory-reader'] },
      { organizationalUnit: '9900000000001', roles: ['msp-operator', 'directory-reader'] },
    ],
  });

  it('maps by fingerprint (colons and case do not matter)', () => {
    expect(table.resolveRoles(certificate('CN=anyone', { fingerprint256: FINGERPRINT }))).toEqual(['ca-operator']);
  });

  it('maps by subject DN, case-insensitively, only from the named issuer', () => {
    expect(table.resolveRoles(certificate('CN=gwa-1,O=ACME,C=DE'))).toEqual(['gateway-administrator']);
    expect(table.resolveRoles(certificate('CN=gwa-1,O=ACME,C=DE', { issuer: 'CN=other CA,C=DE' }))).toEqual([]);
  });

  it('maps by certificate policy and by OU, giving the union of every matching entry', () => {
    expect(table.resolveRoles(certificate('CN=x', { policies: ['1.3.6.1.4.1.99999.2.1'] }))).toEqual(['directory-reader']);
    expect([...table.resolveRoles(certificate('CN=x,OU=9900000000001,O=MSP', { policies: ['1.3.6.1.4.1.99999.2.1'] }))].sort()).toEqual(['directory-reader', 'msp-operator']);
  });

  it('gives an unregistered certificate no role', () => {
    expect(table.resolveRoles(certificate('CN=stranger,O=ACME,C=DE'))).toEqual([]);
  });

  it('refuses bad entries, naming each one', () => {
    expect(problemsOf({ clientCertificates: [{ roles: ['auditor'] }] })[0]).toContain('needs exactly one of fingerprint256, subject, certificatePolicy, organizationalUnit (found none)');
    expect(problemsOf({ clientCertificates: [{ fingerprint256: 'abc', subject: 'CN=x', roles: ['auditor'] }] })[0]).toContain('found fingerprint256, subject');
    expect(problemsOf({ clientCertificates: [{ fingerprint256: 'abc', roles: ['auditor'] }] })).toEqual([expect.stringContaining('expected 64 hex digits')]);
    expect(problemsOf({ clientCertificates: [{ subject: 'CN=x', roles: ['root'] }] })).toEqual([expect.stringContaining('unknown role(s) "root" (known roles: administrator,')]);
    expect(problemsOf({ clientCertificates: [{ subject: 'Common=x', roles: ['auditor'] }] })).toEqual([expect.stringContaining('clientCertificates[0].subject: distinguished name')]);
    expect(problemsOf({ clientCertificates: [{ certificatePolicy: 'policy-1', roles: [] }] })).toHaveLength(2);
    expect(problemsOf({ clientCertificates: [{ subject: 'CN=x', roles: ['auditor'], role: 'x' }] })).toEqual(['clientCertificates[0]: unknown key "role"']);
    expect(problemsOf({})).toEqual(['expected a JSON object with a "clientCertificates" array']);
  });

  it('loads a file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-roles-'));
    try {
      const path = join(dir, 'client-roles.json');
      writeFileSync(path, JSON.stringify({ clientCertificates: [{ fingerprint256: FINGERPRINT, roles: ['auditor'] }] }));
      expect(ClientCertificateRoleTable.loadFile(path).resolveRoles(certificate('CN=a', { fingerprint256: FINGERPRINT }))).toEqual(['auditor']);
      writeFileSync(path, '{');
      expect(() => ClientCertificateRoleTable.loadFile(path)).toThrow(`invalid client certificate roles (${path})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
