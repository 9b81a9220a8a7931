/**
 * EC keys in SoftHSM2 through the key manager: generation (sensitive, never extractable), signatures that openssl
 * verifies on every curve, public key export, software verification, ECDH, lookup, listing and destruction.
 */
import { createECDH, createHash, createPublicKey } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { HsmError, type Curve } from '@smpki/hsm';
import { findObjects, withDirectSession } from './support/direct-session';
import { opensslVerify } from './support/openssl';
import { listObjectsWithPkcs11Tool } from './support/pkcs11-tool';
import { openTestKeyManager, type TestKeyManager } from './support/test-key-manager';

let t: TestKeyManager;

beforeAll(async () => {
  t = await openTestKeyManager();
});

afterAll(async () => {
  await t?.dispose();
});

const CURVES: Array<[Curve, 'sha256' | 'sha384' | 'sha512', number, string]> = [
  ['brainpoolP256r1', 'sha256', 32, 'brainpoolP256r1'],
  ['brainpoolP384r1', 'sha384', 48, 'brainpoolP384r1'],
  ['brainpoolP512r1', 'sha512', 64, 'brainpoolP512r1'],
  ['P-256', 'sha256', 32, 'prime256v1'],
  ['P-384', 'sha384', 48, 'secp384r1'],
];

describe('EC key pairs', () => {
  it.each(CURVES)('%s: the private key is sensitive and never extractable, the public key exports as SPKI', async (curve, _hash, size, nodeName) => {
    const uri = t.uri(`ec-${curve}`);
    const publicKey = await t.km.createEcKeyPair(uri, curve);

    expect(publicKey.curve).toBe(curve);
    expect(publicKey.point).toHaveLength(1 + 2 * size);
    expect(publicKey.point[0]).toBe(0x04);
    const nodeKey = createPublicKey({ key: publicKey.spki, format: 'der', type: 'spki' });
    expect(nodeKey.asymmetricKeyDetails?.namedCurve).toBe(nodeName);
    expect(await t.km.getPublicKey(uri)).toEqual(publicKey);

    const info = await t.km.findKey(uri);
    expect(info).toMatchObject({ kind: 'ec-private', curve, sensitive: true, extractable: false, label: `ec-${curve}` });
    expect(info!.id).toMatch(/^[0-9a-f]{32}$/);

    await withDirectSession(t.token, (direct) => {
      const { pkcs11, session } = direct;
      const [privateKey] = findObjects(direct, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_LABEL, value: `ec-${curve}` },
      ]);
      const attributes = pkcs11.C_GetAttributeValue(session, privateKey!, [
        { type: pkcs11js.CKA_TOKEN },
        { type: pkcs11js.CKA_PRIVATE },
        { type: pkcs11js.CKA_SENSITIVE },
        { type: pkcs11js.CKA_EXTRACTABLE },
        { type: pkcs11js.CKA_ID },
      ]);
      expect(attributes.slice(0, 4).map((a) => a.value[0])).toEqual([1, 1, 1, 0]);
      // Both halves share the random 16-byte CKA_ID.
      expect(attributes[4]!.value.toString('hex')).toBe(info!.id);
      expect(() => pkcs11.C_GetAttributeValue(session, privateKey!, [{ type: pkcs11js.CKA_VALUE }])).toThrow('CKR_ATTRIBUTE_SENSITIVE');
    });
  });

  it('pkcs11-tool sees the private keys as sensitive, never extractable, for signing only', () => {
    const privateKeys = listObjectsWithPkcs11Tool(t.token).filter((o) => o.heading.startsWith('Private Key Object; EC') && o.label?.startsWith('ec-'));
    expect(privateKeys.map((o) => o.label).sort()).toEqual(CURVES.map(([curve]) => `ec-${curve}`).sort());
    for (const key of privateKeys) {
      expect(key.access).toContain('sensitive');
      expect(key.access).toContain('never extractable');
      expect(key.usage).toBe('sign');
    }
  });

  it('refuses to create a key under a URI that exists', async () => {
    await expect(t.km.createEcKeyPair(t.uri('ec-P-256'), 'P-256')).rejects.toMatchObject({
      code: 'exists',
      message: `${t.uri('ec-P-256')} already exists in the token`,
    });
  });

  it('refuses a URI of another token and an unsupported curve, naming them', async () => {
    await expect(t.km.createEcKeyPair('pkcs11:token=other;object=x', 'P-256')).rejects.toThrow("names token 'other', but this key manager serves token 'smpki-test'");
    await expect(t.km.createEcKeyPair(t.uri('x'), 'secp256k1' as Curve)).rejects.toThrow("unsupported curve 'secp256k1'");
  });
});

describe('ECDSA signatures', () => {
  it.each(CURVES)('%s with %s: openssl verifies the DER signature', async (curve, hash) => {
    const signer = await t.km.createSigner(t.uri(`ec-${curve}`));
    const data = Buffer.from(`smpki signs on ${curve}`);
    const signature = await signer.sign(data);
    expect(opensslVerify(signer.publicKey.spki, data, signature, hash)).toBe('Verified OK');
    expect(opensslVerify(signer.publicKey.spki, Buffer.from('something else'), signature, hash)).toContain('Verification failure');
  });

  it.each(CURVES)('%s: raw r||s (JOSE) and signDigest verify in software, a tampered signature does not', async (curve, hash, size) => {
    const signer = await t.km.createSigner(t.uri(`ec-${curve}`));
    const data = Buffer.from('the meter reading');
    const raw = await signer.sign(data, { format: 'raw' });
    expect(raw).toHaveLength(2 * size);
    expect(await t.km.verify(signer.publicKey.spki, data, raw)).toBe(true);

    const digest = createHash(hash).update(data).digest();
    const der = await signer.signDigest(digest);
    expect(await t.km.verify(signer.publicKey.spki, data, der)).toBe(true);

    const tampered = Buffer.from(raw);
    tampered[5]! ^= 0x01;
    expect(await t.km.verify(signer.publicKey.spki, data, tampered)).toBe(false);
  });

  it('signs with an explicitly chosen hash (SHA-512 on brainpoolP384r1)', async () => {
    const signer = await t.km.createSigner(t.uri('ec-brainpoolP384r1'));
    const data = Buffer.from('hash chosen by the caller');
    const signature = await signer.sign(data, { hash: 'SHA-512' });
    expect(opensslVerify(signer.publicKey.spki, data, signature, 'sha512')).toBe('Verified OK');
    expect(await t.km.verify(signer.publicKey.spki, data, signature, 'SHA-512')).toBe(true);
    expect(await t.km.verify(signer.publicKey.spki, data, signature)).toBe(false);
  });

  it('rejects a digest of a length no hash has', async () => {
    const signer = await t.km.createSigner(t.uri('ec-P-256'));
    await expect(signer.signDigest(Buffer.alloc(31))).rejects.toThrow('a digest to sign has 20, 28, 32, 48 or 64 bytes (got 31)');
  });

  it('many concurrent signatures through both workers all verify', async () => {
    const signer = await t.km.createSigner(t.uri('ec-brainpoolP256r1'));
    const messages = Array.from({ length: 200 }, (_, i) => Buffer.from(`message ${i}`));
    const signatures = await Promise.all(messages.map((message) => signer.sign(message)));
    const results = await Promise.all(messages.map((message, i) => t.km.verify(signer.publicKey.spki, message, signatures[i]!)));
    expect(results.every(Boolean)).toBe(true);
  });

  it('says which key is missing', async () => {
    await expect(t.km.createSigner(t.uri('no-such-key'))).rejects.toMatchObject({
      code: 'not-found',
      message: `there is no public key ${t.uri('no-such-key')} in the token`,
    });
  });
});

describe('ECDH', () => {
  it.each<[Curve, string]>([
    ['brainpoolP256r1', 'brainpoolP256r1'],
    ['brainpoolP384r1', 'brainpoolP384r1'],
    ['P-256', 'prime256v1'],
  ])('%s: the shared secret equals node:crypto ECDH', async (curve, nodeName) => {
    const uri = t.uri(`ecdh-${curve}`);
    const ours = await t.km.createEcKeyPair(uri, curve, { usages: ['derive'] });
    const peer = createECDH(nodeName);
    const peerPoint = peer.generateKeys();
    const secret = await t.km.deriveSharedSecret(uri, peerPoint);
    expect(secret).toEqual(peer.computeSecret(ours.point));
  });

  it('refuses a key that may only sign, and a malformed peer point', async () => {
    const peer = createECDH('brainpoolP256r1').generateKeys();
    await expect(t.km.deriveSharedSecret(t.uri('ec-brainpoolP256r1'), peer)).rejects.toMatchObject({ code: 'not-permitted' });
    await expect(t.km.deriveSharedSecret(t.uri('ecdh-P-256'), peer.subarray(0, 33))).rejects.toThrow('must be an uncompressed point');
  });

  it('reports that SoftHSM has no in-token X9.63 KDF (the secret leaves the token for the KDF)', () => {
    expect(t.km.capabilities.ecdhKdfInToken).toBe(false);
    expect(t.km.capabilities.mechanisms).toContain('CKM_ECDH1_DERIVE');
  });
});

describe('lookup, listing and destruction', () => {
  it('finds by URI (also by id= and type=), lists both halves, destroys both', async () => {
    const uri = t.uri('lifecycle');
    await t.km.createEcKeyPair(uri, 'P-256');
    const info = (await t.km.findKey(uri))!;
    const byId = await t.km.findKey(`${uri};id=${info.id.replace(/../g, '%$&')}`);
    expect(byId).toEqual(info);
    expect(await t.km.findKey(`${uri};type=public`)).toMatchObject({ kind: 'ec-public', curve: 'P-256' });
    expect(await t.km.findKey(`${uri};id=%00`)).toBeUndefined();

    const listed = (await t.km.listKeys()).filter((key) => key.label === 'lifecycle');
    expect(listed.map((key) => key.kind)).toEqual(['ec-private', 'ec-public']);
    expect((await t.km.listKeys({ kind: 'ec-public' })).every((key) => key.kind === 'ec-public')).toBe(true);

    const signer = await t.km.createSigner(uri);
    await signer.sign(Buffer.from('before destruction'));
    expect(await t.km.destroyKey(uri)).toBe(2);
    expect(await t.km.findKey(uri)).toBeUndefined();
    // No worker keeps signing with a cached copy of a destroyed key.
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => signer.sign(Buffer.from('after'))));
    expect(attempts.every((attempt) => attempt.status === 'rejected' && (attempt.reason as HsmError).code === 'not-found')).toBe(true);
    expect(await t.km.destroyKey(uri)).toBe(0);
  });

  it('reports health with the token present and a working session', async () => {
    expect(await t.km.health()).toMatchObject({ ok: true, token: 'smpki-test' });
  });
});
