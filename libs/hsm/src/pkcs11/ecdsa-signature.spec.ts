import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { derSignatureToRaw, rawSignatureToDer } from './ecdsa-signature';

describe('ECDSA signature encodings', () => {
  it.each([
    ['brainpoolP256r1', 32],
    ['brainpoolP512r1', 64],
    ['secp384r1', 48],
  ])('converts %s signatures both ways so that node:crypto verifies each form', (namedCurve, size) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    for (let i = 0; i < 20; i++) {
      const data = Buffer.from(`message ${i}`);
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const der = rawSignatureToDer(raw);
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
      expect(derSignatureToRaw(der, size)).toEqual(raw);
    }
  });

  it('keeps INTEGERs minimal and positive', () => {
    const raw = Buffer.concat([Buffer.alloc(31, 0), Buffer.from([0x05]), Buffer.from([0x80]), Buffer.alloc(31, 1)]);
    expect(rawSignatureToDer(raw).toString('hex')).toBe('3026' + '020105' + '022100' + '80' + '01'.repeat(31));
  });

  it('uses the long length form for brainpoolP512r1-sized values', () => {
    const der = rawSignatureToDer(Buffer.alloc(128, 0xff));
    expect(der.subarray(0, 3).toString('hex')).toBe('308186');
    expect(derSignatureToRaw(der, 64)).toEqual(Buffer.alloc(128, 0xff));
  });

  it.each([
    ['trailing bytes', '3006020101020101' + '00'],
    ['negative r', '30060201ff020101'],
    ['non-minimal r', '3007020200010201' + '01'],
    ['r longer than the curve', '3024' + '0220' + '01'.repeat(32) + '020101'],
    ['not a SEQUENCE', '3106020101020101'],
  ])('rejects %s', (_name, hex) => {
    expect(derSignatureToRaw(Buffer.from(hex, 'hex'), 16)).toBeUndefined();
  });

  it('refuses an odd-length raw signature', () => {
    expect(() => rawSignatureToDer(Buffer.alloc(63))).toThrow('even, non-zero length');
  });
});
