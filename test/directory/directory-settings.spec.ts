import { ConfigurationError } from '@smpki/platform';
import { DEFAULT_LDAP_PORT, loadDirectorySettings } from '../../apps/directory/src/ldap/ldap-settings';

describe('directory settings', () => {
  it('defaults to LDAP on 1389, all interfaces, revoked certificates kept, no LDAPS', () => {
    expect(loadDirectorySettings({})).toEqual({ ldapPort: DEFAULT_LDAP_PORT, ldapHost: '0.0.0.0', revoked: 'keep' });
  });

  it('reads LDAPS with its certificate and key files', () => {
    const settings = loadDirectorySettings({ SMPKI_LDAP_PORT: '389', SMPKI_LDAPS_PORT: '636', SMPKI_LDAPS_CERT_FILE: '/c.pem', SMPKI_LDAPS_KEY_FILE: '/k.pem', SMPKI_DIRECTORY_REVOKED: 'remove' });
    expect(settings).toMatchObject({ ldapPort: 389, revoked: 'remove', ldaps: { port: 636, certFile: '/c.pem', keyFile: '/k.pem' } });
  });

  it.each([
    [{ SMPKI_LDAP_PORT: 'ldap' }, 'SMPKI_LDAP_PORT'],
    [{ SMPKI_LDAP_PORT: '70000' }, 'SMPKI_LDAP_PORT'],
    [{ SMPKI_LDAPS_PORT: '636' }, 'SMPKI_LDAPS_CERT_FILE'],
    [{ SMPKI_DIRECTORY_REVOKED: 'hide' }, 'SMPKI_DIRECTORY_REVOKED'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadDirectorySettings(env)).toThrow(ConfigurationError);
    expect(() => loadDirectorySettings(env)).toThrow(new RegExp(`^${variable} `));
  });
});
