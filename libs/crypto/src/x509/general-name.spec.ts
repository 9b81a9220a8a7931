import { readWhole } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { decodeGeneralNames, encodeGeneralNames, formatGeneralName, type GeneralNameInput } from './general-name';

function roundTrip(names: GeneralNameInput[]) {
  const der = encodeGeneralNames(names);
  return decodeGeneralNames(der, readWhole(der, DerTag.SEQUENCE, 'names'), 'names');
}

describe('GeneralName', () => {
  it('encodes and decodes email, URI, DNS, directory name, IP and registered ID', () => {
    const decoded = roundTrip([
      { email: 'a@b.de' },
      { uri: 'ldap://ldap.example/cn=x,o=y?certificateRevocationList' },
      { dns: '*.example.de' },
      { directoryName: [{ type: 'CN', value: 'X' }] },
      { ip: '192.0.2.1' },
      { ip: '2001:db8::1' },
      { ip: '::ffff:192.0.2.1' },
      { registeredId: '1.2.3.4' },
    ]);
    expect(decoded.map(formatGeneralName)).toEqual([
      'email:a@b.de',
      'URI:ldap://ldap.example/cn=x,o=y?certificateRevocationList',
      'DNS:*.example.de',
      'DirName:CN=X',
      'IP Address:192.0.2.1',
      'IP Address:2001:db8::1',
      'IP Address:::ffff:c000:201',
      'Registered ID:1.2.3.4',
    ]);
  });

  it('writes the tags RFC 5280 gives them', () => {
    expect(encodeGeneralNames([{ email: 'a@b' }, { dns: 'h' }, { uri: 'u:x' }]).toString('hex')).toBe('300d81036140628201688603753a78');
  });

  it('refuses names an IA5String or iPAddress cannot hold', () => {
    const rule = expect.objectContaining({ rule: 'general-name.invalid' });
    expect(() => encodeGeneralNames([{ email: 'müller@example.de' }])).toThrow(rule);
    expect(() => encodeGeneralNames([{ email: 'no-at-sign' }])).toThrow(rule);
    expect(() => encodeGeneralNames([{ uri: 'not a uri' }])).toThrow(rule);
    expect(() => encodeGeneralNames([{ dns: 'bad_host.de' }])).toThrow(rule);
    expect(() => encodeGeneralNames([{ ip: '300.1.1.1' }])).toThrow(rule);
    expect(() => encodeGeneralNames([])).toThrow(rule);
  });
});
