import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { CryptoInputError } from '../crypto-input-error';
import { derOctetString, derOid, derSequence, derSetOf } from '../der/der-writer';
import { encodeName, formatName, nameDer, parseName, type DistinguishedName } from './name';

const SUB_CA: DistinguishedName = [
  { type: 'CN', value: 'DARZ.CA' },
  { type: 'O', value: 'SM-PKI-DE' },
  { type: 'C', value: 'DE' },
  { type: 'serialNumber', value: '4' },
  { type: 'OU', value: 'DARZ GmbH' },
  { type: 'street', value: 'Julius-Reiber-Straße 11' },
  { type: 'postalCode', value: '64293' },
];

describe('distinguished names', () => {
  it('keeps the given order and picks the string types of the real SM-PKI certificates', () => {
    const der = encodeName(SUB_CA);
    const parsed = AsnConvert.parse(der, Name);
    expect(parsed.map((rdn) => rdn[0]!.type)).toEqual(['2.5.4.3', '2.5.4.10', '2.5.4.6', '2.5.4.5', '2.5.4.11', '2.5.4.9', '2.5.4.17']);
    expect(parsed[0]![0]!.value.printableString).toBe('DARZ.CA');
    expect(parsed[2]![0]!.value.printableString).toBe('DE');
    expect(parsed[3]![0]!.value.printableString).toBe('4');
    expect(parsed[5]![0]!.value.utf8String).toBe('Julius-Reiber-Straße 11');
    const name = parseName(der);
    expect(name.attributes.map((attribute) => attribute.encoding)).toEqual(['printable', 'printable', 'printable', 'printable', 'printable', 'utf8', 'printable']);
    expect(formatName(name, 'display')).toBe('CN=DARZ.CA, O=SM-PKI-DE, C=DE, serialNumber=4, OU=DARZ GmbH, street=Julius-Reiber-Straße 11, postalCode=64293');
    expect(name.toString()).toBe('postalCode=64293,street=Julius-Reiber-Straße 11,OU=DARZ GmbH,serialNumber=4,C=DE,O=SM-PKI-DE,CN=DARZ.CA');
    expect(name.get('O')).toBe('SM-PKI-DE');
  });

  it('honours an explicit string type and IA5String attributes', () => {
    const name = parseName(encodeName([{ type: 'CN', value: 'Plain', encoding: 'utf8' }, { type: 'emailAddress', value: 'ca@example.invalid' }, { type: '2.5.4.97', value: 'VATDE-1' }]));
    expect(name.attributes.map((attribute) => [attribute.type, attribute.encoding])).toEqual([
      ['CN', 'utf8'],
      ['emailAddress', 'ia5'],
      ['2.5.4.97', 'printable'],
    ]);
  });

  it('sorts the attributes of a multi-valued RDN as DER requires', () => {
    const der = encodeName([[{ type: 'OU', value: 'b' }, { type: 'CN', value: 'a' }]]);
    expect(parseName(der).rdns[0]!.map((attribute) => attribute.type)).toEqual(['CN', 'OU']);
    expect(parseName(der).toString()).toBe('CN=a+OU=b');
  });

  it('refuses values that cannot be encoded as required', () => {
    const invalid = (name: DistinguishedName) => () => encodeName(name);
    const rule = expect.objectContaining({ rule: 'name.value-invalid' });
    expect(invalid([{ type: 'C', value: 'de' }])).toThrow(rule);
    expect(invalid([{ type: 'C', value: 'DEU' }])).toThrow(/two upper-case letters/);
    expect(invalid([{ type: 'serialNumber', value: 'Nr_1' }])).toThrow(/PrintableString/);
    expect(invalid([{ type: 'C', value: 'DE', encoding: 'utf8' }])).toThrow(/must be a PrintableString/);
    expect(invalid([{ type: 'CN', value: '' }])).toThrow(/non-empty/);
    expect(invalid([{ type: 'CN', value: 'x'.repeat(65) }])).toThrow(/longer than 64/);
    expect(invalid([{ type: 'emailAddress', value: 'ä@example.invalid' }])).toThrow(/IA5String/);
    expect(invalid([{ type: 'nickname', value: 'x' }])).toThrow(/unknown name attribute type 'nickname'/);
    expect(invalid([[]])).toThrow(CryptoInputError);
  });

  it('escapes RFC 4514 special characters and shows non-string values as #hex', () => {
    const odd = derSequence(derSetOf([derSequence(derOid('2.5.4.3'), derOctetString(Buffer.of(1, 2)))]));
    expect(parseName(odd).toString()).toBe('CN=#04020102');
    expect(parseName(encodeName([{ type: 'CN', value: 'a,b+c"d' }, { type: 'O', value: ' lead' }])).toString()).toBe('O=\\ lead,CN=a\\,b\\+c\\"d');
  });

  it('uses DER input as is and caches structured names per object', () => {
    const der = encodeName(SUB_CA);
    expect(nameDer(der)).toBe(der);
    expect(nameDer(SUB_CA)).toBe(nameDer(SUB_CA));
    expect(() => nameDer(Buffer.of(4, 0))).toThrow(expect.objectContaining({ rule: 'der.malformed' }));
  });
});
