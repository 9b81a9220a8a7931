import { calculateJwkThumbprint } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { p256PublicJwk, spkiFromPem } from './p256-jwk';

function spkiOf(options: Parameters<typeof generateKeyPairSync>[1] & object, type: 'ec' | 'rsa' = 'ec'): Buffer {
  const { publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
  return publicKey.export({ format: 'der', type: 'spki' });
}

describe('p256PublicJwk', () => {
  it('names a key by its RFC 7638 thumbprint, as jose computes it', async () => {
    const { jwk } = p256PublicJwk(spkiOf({ namedCurve: 'P-256' }));
    expect(jwk.kid).toBe(await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'sha256'));
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  });

  it('refuses keys ES256 cannot use, naming the curve', () => {
    expect(() => p256PublicJwk(spkiOf({ namedCurve: 'brainpoolP256r1' }))).toThrow('ES256 needs a P-256 key, got ec on brainpoolP256r1');
    expect(() => p256PublicJwk(spkiOf({ namedCurve: 'P-384' }))).toThrow('got ec on secp384r1');
    expect(() => p256PublicJwk(spkiOf({ modulusLength: 1024 } as never, 'rsa'))).toThrow('got rsa');
    expect(() => p256PublicJwk(Buffer.from('not a key'))).toThrow('not a DER SubjectPublicKeyInfo');
  });

  it('reads a PEM public key as configured for verify-only services', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(spkiFromPem(pem).equals(publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
    expect(() => spkiFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow('not a PEM public key');
  });
});
