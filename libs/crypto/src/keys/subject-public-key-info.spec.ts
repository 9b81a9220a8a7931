import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { CryptoInputError, type CryptoInputRule } from '../crypto-input-error';
import { EC_CURVES } from '../curves';
import { derBitString, derNull, derOid, derSequence } from '../der/der-writer';
import { CurveOids, KeyAlgorithmOids } from '../oids';
import { keyIdentifierFromSpki } from './key-identifier';
import { parseSubjectPublicKeyInfo } from './subject-public-key-info';

function spkiOf(namedCurve: string): Buffer {
  return generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'der', type: 'spki' });
}

function ecSpki(parameters: Buffer, point: Buffer): Buffer {
  return derSequence(derSequence(derOid(KeyAlgorithmOids.ecPublicKey), parameters), derBitString(point));
}

function refusedWith(der: Buffer, options = {}): CryptoInputRule {
  try {
    parseSubjectPublicKeyInfo(der, options);
  } catch (error) {
    if (error instanceof CryptoInputError) return error.rule;
    throw error;
  }
  throw new Error('accepted');
}

describe('parseSubjectPublicKeyInfo', () => {
  it.each(EC_CURVES.map((curve) => [curve.name, curve.nodeName, curve.size] as const))('names %s keys', (name, nodeName, size) => {
    const spki = spkiOf(nodeName);
    const key = parseSubjectPublicKeyInfo(spki);
    expect(key.curve).toBe(name);
    expect(key.point).toHaveLength(1 + 2 * size);
    expect(key.point[0]).toBe(4);
    expect(key.spki).toBe(spki);
  });

  it('refuses RSA, Ed25519 and other algorithms with key.algorithm-not-allowed', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
    expect(() => parseSubjectPublicKeyInfo(rsa)).toThrow(/RSA keys \(1.2.840.113549.1.1.1\) are not accepted/);
    expect(refusedWith(rsa)).toBe('key.algorithm-not-allowed');
    expect(refusedWith(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }))).toBe('key.algorithm-not-allowed');
  });

  it('refuses explicit parameters, implicitlyCA and curves outside the allowed set', () => {
    const point = parseSubjectPublicKeyInfo(spkiOf('brainpoolP256r1')).point;
    expect(refusedWith(ecSpki(derSequence(Buffer.of(2, 1, 1)), point))).toBe('key.explicit-parameters');
    expect(refusedWith(ecSpki(derNull(), point))).toBe('key.curve-not-allowed');
    expect(() => parseSubjectPublicKeyInfo(spkiOf('secp256k1'))).toThrow(/secp256k1 \(1.3.132.0.10\) is not accepted/);
    expect(refusedWith(spkiOf('secp521r1'))).toBe('key.curve-not-allowed');
    expect(refusedWith(spkiOf('prime256v1'), { allowedCurves: ['brainpoolP256r1'] })).toBe('key.curve-not-allowed');
  });

  it('refuses compressed points, wrong lengths and points off the curve', () => {
    const point = parseSubjectPublicKeyInfo(spkiOf('brainpoolP256r1')).point;
    const parameters = derOid(CurveOids.brainpoolP256r1);
    expect(refusedWith(ecSpki(parameters, Buffer.concat([Buffer.of(2 + (point[64]! & 1)), point.subarray(1, 33)])))).toBe('key.point-invalid');
    expect(refusedWith(ecSpki(parameters, point.subarray(0, 64)))).toBe('key.point-invalid');
    const offCurve = Buffer.from(point);
    offCurve[64]! ^= 1;
    expect(refusedWith(ecSpki(parameters, offCurve))).toBe('key.point-invalid');
    // Without the on-curve check (for keys checked before), only the structure is read.
    expect(parseSubjectPublicKeyInfo(ecSpki(parameters, offCurve), { validatePoint: false }).curve).toBe('brainpoolP256r1');
  });

  it('refuses malformed DER with der.malformed', () => {
    const spki = spkiOf('brainpoolP256r1');
    expect(refusedWith(spki.subarray(0, spki.length - 1))).toBe('der.malformed');
    expect(refusedWith(Buffer.concat([spki, Buffer.of(0)]))).toBe('der.malformed');
    expect(refusedWith(Buffer.from('garbage'))).toBe('der.malformed');
  });

  it('computes key identifiers with RFC 5280 method 1 (SHA-1 of the point)', () => {
    const spki = spkiOf('brainpoolP256r1');
    const { point } = parseSubjectPublicKeyInfo(spki);
    expect(keyIdentifierFromSpki(spki)).toEqual(createHash('sha1').update(point).digest());
  });

  it('returns the node:crypto key it decoded to check the point, so that verification need not decode it again', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const { keyObject } = parseSubjectPublicKeyInfo(spki);
    expect(keyObject?.export({ format: 'der', type: 'spki' })).toEqual(spki);
    const signature = sign('sha256', Buffer.from('data'), privateKey);
    expect(verify('sha256', Buffer.from('data'), keyObject!, signature)).toBe(true);
    expect(parseSubjectPublicKeyInfo(spki, { validatePoint: false }).keyObject).toBeUndefined();
  });
});
