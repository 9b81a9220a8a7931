import { DEFAULT_REQUIRED_MECHANISMS, mechanismCode, mechanismName } from './mechanisms';

describe('PKCS#11 mechanisms by name', () => {
  it('resolves every default mechanism and names it back', () => {
    for (const name of DEFAULT_REQUIRED_MECHANISMS) expect(mechanismName(mechanismCode(name))).toBe(name);
  });

  it('prefers the current name where pkcs11js has an alias', () => {
    expect(mechanismName(0x1040)).toBe('CKM_EC_KEY_PAIR_GEN');
  });

  it('accepts vendor mechanisms as numbers', () => {
    expect(mechanismCode('0x80000001')).toBe(0x80000001);
    expect(mechanismName(0x80000001)).toBe('0x80000001');
  });

  it('refuses an unknown name', () => {
    expect(() => mechanismCode('CKM_NOT_A_THING')).toThrow("unknown PKCS#11 mechanism 'CKM_NOT_A_THING'");
    expect(() => mechanismCode('CKA_LABEL')).toThrow('unknown PKCS#11 mechanism');
  });
});
