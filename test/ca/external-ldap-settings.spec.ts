import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@smpki/platform';
import { loadDirectorySettings } from '../../apps/sub-ca/src/publication/directory-settings';

describe('external LDAP settings (SMPKI_EXTERNAL_LDAP_*)', () => {
  let dir: string;
  let passwordFile: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-ext-ldap-'));
    passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 'bind-secret-42\n');
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'empty'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ({ SMPKI_EXTERNAL_LDAP_URL: 'ldap://ldap.example:389', SMPKI_EXTERNAL_LDAP_BIND_DN: 'cn=admin,c=DE', SMPKI_EXTERNAL_LDAP_PASSWORD_FILE: passwordFile });

  it('reads the target, the password from its file, and defaults to keeping revoked certificates', () => {
    expect(loadDirectorySettings(base())).toEqual({ externalLdap: { url: 'ldap://ldap.example:389', bindDn: 'cn=admin,c=DE', password: 'bind-secret-42', revoked: 'keep' } });
    const both = loadDirectorySettings({ ...base(), SMPKI_DIRECTORY_URL: 'http://127.0.0.1:8440', SMPKI_EXTERNAL_LDAP_URL: 'ldaps://ldap.example', SMPKI_EXTERNAL_LDAP_CA_FILE: join(dir, 'ca.pem'), SMPKI_EXTERNAL_LDAP_REVOKED: 'remove', SMPKI_EXTERNAL_LDAP_SUFFIX: 'dc=example,dc=org' });
    expect(both).toMatchObject({ url: 'http://127.0.0.1:8440/', externalLdap: { url: 'ldaps://ldap.example', revoked: 'remove', suffix: 'dc=example,dc=org' } });
    expect(both?.externalLdap?.caCertificates?.toString()).toContain('BEGIN CERTIFICATE');
  });

  it.each([
    ['SMPKI_EXTERNAL_LDAP_URL', { SMPKI_EXTERNAL_LDAP_URL: 'http://ldap.example' }],
    ['SMPKI_EXTERNAL_LDAP_URL', { SMPKI_EXTERNAL_LDAP_URL: 'ldap://admin:secret@ldap.example' }],
    ['SMPKI_EXTERNAL_LDAP_BIND_DN', { SMPKI_EXTERNAL_LDAP_BIND_DN: '' }],
    ['SMPKI_EXTERNAL_LDAP_BIND_DN', { SMPKI_EXTERNAL_LDAP_BIND_DN: 'admin' }],
    ['SMPKI_EXTERNAL_LDAP_PASSWORD_FILE', { SMPKI_EXTERNAL_LDAP_PASSWORD_FILE: '' }],
    ['SMPKI_EXTERNAL_LDAP_PASSWORD_FILE', { SMPKI_EXTERNAL_LDAP_PASSWORD_FILE: '/nonexistent/password' }],
    ['SMPKI_EXTERNAL_LDAP_PASSWORD_FILE', { SMPKI_EXTERNAL_LDAP_PASSWORD_FILE: 'EMPTY' }],
    ['SMPKI_EXTERNAL_LDAP_CA_FILE', { SMPKI_EXTERNAL_LDAP_CA_FILE: 'CA' }],
    ['SMPKI_EXTERNAL_LDAP_CA_FILE', { SMPKI_EXTERNAL_LDAP_URL: 'ldaps://ldap.example', SMPKI_EXTERNAL_LDAP_CA_FILE: 'PASSWORD' }],
    ['SMPKI_EXTERNAL_LDAP_REVOKED', { SMPKI_EXTERNAL_LDAP_REVOKED: 'mark' }],
    ['SMPKI_EXTERNAL_LDAP_SUFFIX', { SMPKI_EXTERNAL_LDAP_SUFFIX: 'example.org' }],
  ])('names %s when it is wrong, never the password', (variable, override) => {
    const files: Record<string, string> = { EMPTY: join(dir, 'empty'), CA: join(dir, 'ca.pem'), PASSWORD: passwordFile };
    const env = Object.fromEntries(Object.entries({ ...base(), ...override }).map(([name, value]) => [name, files[value] ?? value]));
    expect(() => loadDirectorySettings(env)).toThrow(ConfigurationError);
    expect(() => loadDirectorySettings(env)).toThrow(new RegExp(`^${variable} `));
    expect(() => loadDirectorySettings(env)).not.toThrow(/bind-secret-42/);
  });
});
