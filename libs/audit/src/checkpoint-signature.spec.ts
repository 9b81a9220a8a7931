import type { Curve } from '@smpki/hsm';
import { SoftwareSigner } from '../../../test/support/software-signer';
import { checkpointHash, checkpointPayload, checkpointSignatureHash, checkpointSignatureProblem } from './checkpoint-signature';

const fields = {
  seq: 200,
  headHash: Buffer.alloc(32, 1),
  prevCheckpointHash: Buffer.alloc(32, 2),
  time: new Date('2026-05-01T12:00:00.000Z'),
  signerKeyUri: 'pkcs11:token=smpki;object=audit-2026',
  signerSpki: Buffer.alloc(0),
};

describe('checkpoint signature', () => {
  it.each<Curve>(['brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1', 'P-256', 'P-384'])(
    'verifies a %s signature made with the hash the trail asks the signer for',
    async (curve) => {
      const signer = SoftwareSigner.generate(curve);
      const payload = checkpointPayload({ ...fields, signerSpki: signer.publicKey.spki });
      const signature = await signer.sign(payload, { hash: checkpointSignatureHash(curve), format: 'der' });
      expect(checkpointSignatureProblem(signer.publicKey.spki, payload, signature)).toBeUndefined();
      // Signed with another hash than the verifier derives from the key: refused.
      const otherHash = checkpointSignatureHash(curve) === 'SHA-256' ? 'SHA-384' : 'SHA-256';
      expect(checkpointSignatureProblem(signer.publicKey.spki, payload, await signer.sign(payload, { hash: otherHash }))).toBe('bad signature');
    },
  );

  it('refuses another payload, another key, raw signatures and garbage keys', async () => {
    const signer = SoftwareSigner.generate('brainpoolP256r1');
    const payload = checkpointPayload({ ...fields, signerSpki: signer.publicKey.spki });
    const signature = await signer.sign(payload, { hash: 'SHA-256' });
    const edited = checkpointPayload({ ...fields, seq: 201, signerSpki: signer.publicKey.spki });
    expect(checkpointSignatureProblem(signer.publicKey.spki, edited, signature)).toBe('bad signature');
    expect(checkpointSignatureProblem(SoftwareSigner.generate('brainpoolP256r1').publicKey.spki, payload, signature)).toBe('bad signature');
    expect(checkpointSignatureProblem(signer.publicKey.spki, payload, await signer.sign(payload, { format: 'raw' }))).toMatch(/^bad signature/);
    expect(checkpointSignatureProblem(Buffer.from('3000', 'hex'), payload, signature)).toBe('the signer public key is not a valid SubjectPublicKeyInfo');
  });

  it('hashes the payload for the checkpoint chain, covering every signed field', () => {
    const base = checkpointHash(checkpointPayload(fields));
    expect(checkpointHash(checkpointPayload({ ...fields, time: new Date('2026-05-01T12:00:00.001Z') })).equals(base)).toBe(false);
    expect(checkpointHash(checkpointPayload({ ...fields, signerKeyUri: 'pkcs11:token=smpki;object=other' })).equals(base)).toBe(false);
    expect(base).toHaveLength(32);
  });
});
