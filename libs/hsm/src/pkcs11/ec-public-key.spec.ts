import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { curveInfo } from './curves';
import { ecPointFromAttribute, ecSpki } from './ec-public-key';
import type { Curve } from '../key-manager';

describe('EC public keys', () => {
  it.each<Curve>(['brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1', 'P-256', 'P-384'])(
    'builds the same SPKI as node:crypto for %s',
    (name) => {
      const curve = curveInfo(name);
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: curve.nodeName });
      const expected = publicKey.export({ type: 'spki', format: 'der' });
      // The uncompressed point is the tail of the SPKI's BIT STRING.
      const point = expected.subarray(expected.length - (1 + 2 * curve.size));
      expect(ecSpki(point, curve)).toEqual(expected);
      expect(createPublicKey({ key: ecSpki(point, curve), format: 'der', type: 'spki' }).asymmetricKeyDetails?.namedCurve).toBe(curve.nodeName);
    },
  );

  it('unwraps the DER OCTET STRING of CKA_EC_POINT, short and long length forms', () => {
    const p256 = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]);
    expect(ecPointFromAttribute(Buffer.concat([Buffer.from([0x04, 0x41]), p256]), curveInfo('P-256'))).toEqual(p256);
    const bp512 = Buffer.concat([Buffer.from([4]), Buffer.alloc(128, 9)]);
    expect(ecPointFromAttribute(Buffer.concat([Buffer.from([0x04, 0x81, 0x81]), bp512]), curveInfo('brainpoolP512r1'))).toEqual(bp512);
  });

  it('accepts a bare point and rejects a compressed or wrong-size one', () => {
    const p256 = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]);
    expect(ecPointFromAttribute(p256, curveInfo('P-256'))).toEqual(p256);
    expect(() => ecPointFromAttribute(Buffer.concat([Buffer.from([2]), Buffer.alloc(32)]), curveInfo('P-256'))).toThrow('not an uncompressed P-256 point');
    expect(() => ecPointFromAttribute(p256, curveInfo('P-384'))).toThrow('not an uncompressed P-384 point');
  });
});
