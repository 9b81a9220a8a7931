/** The test-only software Signer keeps the key-manager contract on every curve the HSM offers. */
import { createHash, verify } from 'node:crypto';
import type { Curve } from '../../libs/hsm/src/key-manager';
import { SoftwareSigner } from '../support/software-signer';

const DIGEST: Record<Curve, string> = {
  brainpoolP256r1: 'sha256',
  brainpoolP384r1: 'sha384',
  brainpoolP512r1: 'sha512',
  'P-256': 'sha256',
  'P-384': 'sha384',
};

describe('SoftwareSigner', () => {
  it.each(Object.keys(DIGEST) as Curve[])('signs on %s in DER and raw form, hashing after the curve size by default', async (curve) => {
    const signer = SoftwareSigner.generate(curve);
    const data = Buffer.from('audit checkpoint');
    const key = { key: signer.publicKey.spki, format: 'der' as const, type: 'spki' as const };
    expect(verify(DIGEST[curve], data, { ...key, dsaEncoding: 'der' }, await signer.sign(data))).toBe(true);
    const raw = await signer.sign(data, { format: 'raw' });
    expect(raw).toHaveLength(2 * { brainpoolP256r1: 32, brainpoolP384r1: 48, brainpoolP512r1: 64, 'P-256': 32, 'P-384': 48 }[curve]);
    expect(verify(DIGEST[curve], data, { ...key, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    const digest = createHash('sha256').update(data).digest();
    expect(verify('sha256', data, { ...key, dsaEncoding: 'der' }, await signer.signDigest(digest))).toBe(true);
    expect(signer.publicKey.point[0]).toBe(0x04);
  });
});
