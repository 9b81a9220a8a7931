import { encodeName, parseName, type DistinguishedName } from './name';
import { namesMatch } from './name-match';

const name = (dn: DistinguishedName) => parseName(encodeName(dn));
const PARTICIPANT: DistinguishedName = [
  { type: 'CN', value: 'Company-Test.EMT.MAK' },
  { type: 'O', value: 'SM-Test-PKI-DE' },
  { type: 'C', value: 'DE' },
];

describe('namesMatch (RFC 5280 7.1 name comparison)', () => {
  it('matches the same name, also when a value is encoded as another string type or differs in case and spacing', () => {
    expect(namesMatch(name(PARTICIPANT), name(PARTICIPANT))).toBe(true);
    const reencoded: DistinguishedName = [
      { type: 'CN', value: 'company-test.emt.mak ', encoding: 'utf8' },
      { type: 'O', value: 'sm-test-pki-de' },
      { type: 'C', value: 'DE' },
    ];
    expect(namesMatch(name(PARTICIPANT), name(reencoded))).toBe(true);
  });

  it('does not match another value, another order or an extra RDN', () => {
    expect(namesMatch(name(PARTICIPANT), name([{ type: 'CN', value: 'Other.EMT.MAK' }, ...PARTICIPANT.slice(1)]))).toBe(false);
    expect(namesMatch(name(PARTICIPANT), name([...PARTICIPANT].reverse()))).toBe(false);
    expect(namesMatch(name(PARTICIPANT), name([...PARTICIPANT, { type: 'serialNumber', value: '2' }]))).toBe(false);
  });

  it('matches the attributes of a multi-valued RDN in any order', () => {
    const cn = { type: 'CN', value: 'A' } as const;
    const ou = { type: 'OU', value: 'B' } as const;
    expect(namesMatch(name([[cn, ou]]), name([[ou, cn]]))).toBe(true);
  });
});
