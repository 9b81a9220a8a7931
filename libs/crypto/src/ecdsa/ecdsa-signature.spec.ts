import { generateKeyPairSync, sign } from 'node:crypto';
import type { Curve } from '@smpki/hsm';
import { ecCurve, EC_CURVES } from '../curves';
import { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa-signature';

describe('ECDSA signature formats', () => {
  it.each(EC_CURVES.map((curve) => [curve.name, curve.size] as const))('converts %s signatures both ways (%i-byte r and s), matching node:crypto', (curve, size) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: ecCurve(curve).nodeName });
    for (let i = 0; i < 20; i++) {
      const data = Buffer.from(`message ${i}`);
      const der = sign(null, data, { key: privateKey, dsaEncoding: 'der' });
      const raw = ecdsaDerToRaw(der, curve);
      expect(raw).toHaveLength(2 * size);
      expect(ecdsaRawToDer(raw, curve)).toEqual(der);
      const p1363 = sign(null, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      expect(ecdsaDerToRaw(ecdsaRawToDer(p1363, curve), curve)).toEqual(p1363);
    }
  });

  it('keeps leading zero bytes and adds the sign octet where the top bit is set', () => {
    const raw = Buffer.concat([Buffer.alloc(47, 0), Buffer.of(1), Buffer.alloc(48, 0xff)]);
    const der = ecdsaRawToDer(raw, 'brainpoolP384r1');
    expect(der.toString('hex')).toBe(`3036020101023100${'ff'.repeat(48)}`);
    expect(ecdsaDerToRaw(der, 'brainpoolP384r1')).toEqual(raw);
  });

  it('refuses signatures that are not a DER ECDSA-Sig-Value of the curve size', () => {
    const malformed = (der: string, curve: Curve = 'brainpoolP256r1') => () => ecdsaDerToRaw(Buffer.from(der, 'hex'), curve);
    const rule = expect.objectContaining({ rule: 'signature.malformed' });
    expect(malformed('3006020101020101ff')).toThrow(rule); // trailing byte
    expect(malformed('30060201ff020101')).toThrow(/negative/);
    expect(malformed('300702020001020101')).toThrow(/not minimally encoded/);
    expect(malformed('3006020100020101')).toThrow(/zero/);
    expect(malformed(`3026022101${'11'.repeat(32)}020101`)).toThrow(/longer than the 32 bytes/);
    expect(malformed('30800201010201010000')).toThrow(rule);
    expect(() => ecdsaRawToDer(Buffer.alloc(64), 'brainpoolP384r1')).toThrow(/brainpoolP384r1 needs 96/);
    expect(() => ecdsaRawToDer(Buffer.alloc(63))).toThrow(expect.objectContaining({ rule: 'signature.malformed' }));
  });
});
