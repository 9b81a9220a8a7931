import { generateKeyPairSync, sign } from 'node:crypto';
import { SignatureVerifierPool } from './signature-verifier-pool';

function signedMessage(curve: string, index: number) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const data = Buffer.from(`message ${index}`);
  return {
    publicKey: publicKey.export({ format: 'der', type: 'spki' }),
    data,
    signature: sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }),
    hash: 'SHA-256' as const,
  };
}

describe('SignatureVerifierPool', () => {
  let pool: SignatureVerifierPool;
  beforeAll(() => {
    pool = SignatureVerifierPool.start({ workers: 2 });
  });
  afterAll(() => pool.close());

  it('answers each of many concurrent checks with its own verdict (brainpool and NIST curves)', async () => {
    const checks = Array.from({ length: 200 }, (_, index) => signedMessage(index % 2 ? 'brainpoolP256r1' : 'prime256v1', index));
    const tampered = new Set([3, 50, 199]);
    const answers = await Promise.all(
      checks.map((check, index) => pool.verify(tampered.has(index) ? { ...check, data: Buffer.from('something else') } : check)),
    );
    answers.forEach((valid, index) => expect(valid).toBe(!tampered.has(index)));
  });

  it('says false for a key or signature that is not even well-formed', async () => {
    const check = signedMessage('brainpoolP256r1', 0);
    expect(await pool.verify({ ...check, publicKey: Buffer.from('not a key') })).toBe(false);
    expect(await pool.verify({ ...check, signature: Buffer.from([0x30, 0x01]) })).toBe(false);
  });

  it('tells a key whose point is off its curve (key-invalid) from a wrong signature (signature-invalid)', async () => {
    const check = signedMessage('brainpoolP256r1', 0);
    const offCurve = Buffer.from(check.publicKey);
    offCurve[offCurve.length - 1]! ^= 0x01;
    expect(await pool.check({ ...check, publicKey: offCurve })).toBe('key-invalid');
    expect(await pool.check({ ...check, data: Buffer.from('other') })).toBe('signature-invalid');
    expect(await pool.check(check)).toBe('valid');
  });

  it('refuses work after close', async () => {
    const closing = SignatureVerifierPool.start({ workers: 1 });
    await closing.close();
    await expect(closing.verify(signedMessage('prime256v1', 1))).rejects.toThrow('closed');
  });
});
