import { encodeName, parseName } from '@smpki/crypto';
import { caEntryDn, endEntityDn } from './entry-dn';

describe('directory entry DNs', () => {
  // SM-PKI CA subjects are encoded CN first and carry address attributes.
  const caSubject = parseName(
    encodeName([
      { type: 'CN', value: 'SM-Test-Calibration.CA' },
      { type: 'O', value: 'SM-Test-PKI-DE' },
      { type: 'C', value: 'DE' },
      { type: 'serialNumber', value: '1' },
      { type: 'postalCode', value: '64293' },
    ]),
  );
  const caDn = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';

  it('names a CA by the CN, O and C of its subject, lower-case attribute names', () => {
    expect(caEntryDn(caSubject)).toBe(caDn);
  });

  it('puts meters by meter id and other end entities by common name and serial below their CA, escaping values', () => {
    expect(endEntityDn(caDn, { meterId: '1EMH0000000001', commonName: '1EMH0000000001', serial: '0a' })).toBe(`serialNumber=1EMH0000000001,${caDn}`);
    expect(endEntityDn(caDn, { commonName: 'EMT, GmbH+Co', serial: '0a1b' })).toBe(`cn=EMT\\, GmbH\\+Co+serialNumber=0a1b,${caDn}`);
    expect(endEntityDn(caDn, { serial: '0a1b' })).toBe(`serialNumber=0a1b,${caDn}`);
  });
});
