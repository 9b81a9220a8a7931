import { createHash, verify } from 'node:crypto';
import { SoftwareP256Signer } from '../support/software-p256-signer';

describe('SoftwareP256Signer (test support)', () => {
  const signer = SoftwareP256Signer.generate();
  const data = Buffer.from('signing input');

  it('signs raw r||s and DER that node:crypto verifies against its SPKI', async () => {
    const key = { key: signer.publicKey.spki, format: 'der' as const, type: 'spki' as const };
    const raw = await signer.sign(data, { hash: 'SHA-256', format: 'raw' });
    expect(raw).toHaveLength(64);
    expect(verify('sha256', data, { ...key, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    expect(verify('sha256', data, key, await signer.sign(data))).toBe(true);
    expect(verify('sha256', Buffer.from('other'), { ...key, dsaEncoding: 'ieee-p1363' }, raw)).toBe(false);
  });

  it('signs a digest as given, like CKM_ECDSA', async () => {
    const digest = createHash('sha256').update(data).digest();
    const raw = await signer.signDigest(digest, { format: 'raw' });
    expect(verify('sha256', data, { key: signer.publicKey.spki, format: 'der', type: 'spki', dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
  });

  it('describes its public key as the key manager does', () => {
    expect(signer.publicKey.point).toHaveLength(65);
    expect(signer.publicKey.point[0]).toBe(4);
    expect(signer.publicKey.curve).toBe('P-256');
  });
});
