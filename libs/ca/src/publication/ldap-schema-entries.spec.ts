import { dnLevels } from './ldap-schema-entries';

describe('dnLevels', () => {
  it('lists the levels of a DN top first, with multi-valued RDNs and escapes resolved', () => {
    expect(dnLevels('cn=EMT\\, GmbH\\+Co+serialNumber=0a1b,cn=SM-Test.CA,o=SM-Test-PKI-DE,c=DE')).toEqual([
      { dn: 'c=DE', rdn: { c: 'DE' } },
      { dn: 'o=SM-Test-PKI-DE,c=DE', rdn: { o: 'SM-Test-PKI-DE' } },
      { dn: 'cn=SM-Test.CA,o=SM-Test-PKI-DE,c=DE', rdn: { cn: 'SM-Test.CA' } },
      { dn: 'cn=EMT\\, GmbH\\+Co+serialNumber=0a1b,cn=SM-Test.CA,o=SM-Test-PKI-DE,c=DE', rdn: { cn: 'EMT, GmbH+Co', serialnumber: '0a1b' } },
    ]);
    expect(dnLevels('cn=M\\c3\\bcller,c=DE')[1]!.rdn).toEqual({ cn: 'Müller' });
  });
});
