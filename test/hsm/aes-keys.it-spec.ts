/**
 * AES keys in SoftHSM2 through the key manager: master keys that never leave the token, working keys that leave it
 * only wrapped (RFC 3394), and the modes the SKM needs, checked against the RFC vectors and node:crypto.
 */
import { createCipheriv, createDecipheriv, createECDH, randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { WrappedKey } from '@smpki/hsm';
import { createKnownAesKey, findObjects, withDirectSession } from './support/direct-session';
import { listObjectsWithPkcs11Tool } from './support/pkcs11-tool';
import { openTestKeyManager, type TestKeyManager } from './support/test-key-manager';

let t: TestKeyManager;

const hex = (value: string): Buffer => Buffer.from(value.replace(/\s/g, ''), 'hex');

/** RFC 3394 §4.1 and RFC 4493 §4. */
const RFC3394_KEK = hex('000102030405060708090A0B0C0D0E0F');
const RFC3394_KEY = hex('00112233445566778899AABBCCDDEEFF');
const RFC3394_WRAPPED = hex('1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5');
const RFC4493_KEY = hex('2b7e151628aed2a6abf7158809cf4f3c');
const RFC4493_MESSAGE = hex(
  '6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710',
);
/** A known key for comparing GCM, CBC and ECB with node:crypto. */
const MODE_KEY = hex('feffe9928665731c6d6a8f9467308308');

beforeAll(async () => {
  t = await openTestKeyManager();
  // Test only: keys with known values, created beside the key manager (its API never imports clear keys).
  await withDirectSession(t.token, (direct) => {
    createKnownAesKey(direct, 'rfc3394-kek', RFC3394_KEK, [
      { type: pkcs11js.CKA_WRAP, value: true },
      { type: pkcs11js.CKA_UNWRAP, value: true },
    ]);
    createKnownAesKey(direct, 'rfc4493', RFC4493_KEY, [{ type: pkcs11js.CKA_SIGN, value: true }]);
    createKnownAesKey(direct, 'modes', MODE_KEY, [
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
    ]);
  });
});

afterAll(async () => {
  await t?.dispose();
});

describe('RFC 3394 key wrap', () => {
  it('unwraps the §4.1 vector into a token key that wraps back to the same bytes and holds the same value', async () => {
    const kek = t.uri('rfc3394-kek');
    const info = await t.km.unwrapKey({ wrappingKeyUri: kek, wrapped: RFC3394_WRAPPED }, t.uri('rfc3394-key'), {
      bits: 128,
      usages: ['encrypt'],
      wrappable: true,
    });
    expect(info).toMatchObject({ kind: 'aes', bits: 128, sensitive: true, extractable: true });
    expect(await t.km.wrapKey(kek, t.uri('rfc3394-key'))).toEqual(RFC3394_WRAPPED);
    const block = hex('000102030405060708090a0b0c0d0e0f');
    const expected = createCipheriv('aes-128-ecb', RFC3394_KEY, null).setAutoPadding(false).update(block);
    expect(await t.km.aesEcbEncryptBlock(t.uri('rfc3394-key'), block)).toEqual(expected);
  });

  it('refuses a blob that does not unwrap under the key (integrity) and one of the wrong length', async () => {
    const corrupted = Buffer.from(RFC3394_WRAPPED);
    corrupted[3]! ^= 0x40;
    await expect(
      t.km.unwrapKey({ wrappingKeyUri: t.uri('rfc3394-kek'), wrapped: corrupted }, t.uri('corrupted'), { bits: 128, usages: ['encrypt'] }),
    ).rejects.toMatchObject({ code: 'integrity' });
    expect(await t.km.findKey(t.uri('corrupted'))).toBeUndefined();
    await expect(t.km.aesCmac({ wrappingKeyUri: t.uri('rfc3394-kek'), wrapped: Buffer.alloc(20) }, Buffer.alloc(1))).rejects.toThrow(
      'a wrapped AES key has 24 or 40 bytes (RFC 3394), got 20',
    );
  });
});

describe('AES modes', () => {
  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'],
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('AES-CMAC matches RFC 4493 for a %i-byte message', async (length, mac) => {
    expect((await t.km.aesCmac(t.uri('rfc4493'), RFC4493_MESSAGE.subarray(0, length))).toString('hex')).toBe(mac);
  });

  it('AES-GCM matches node:crypto both ways; a wrong tag, AAD or ciphertext fails with integrity', async () => {
    const key = t.uri('modes');
    const iv = randomBytes(12);
    const aad = Buffer.from('meter 4711, frame 12');
    const plaintext = randomBytes(77);
    const ours = await t.km.aesGcmEncrypt(key, iv, aad, plaintext);
    const cipher = createCipheriv('aes-128-gcm', MODE_KEY, iv).setAAD(aad);
    expect(ours.ciphertext).toEqual(Buffer.concat([cipher.update(plaintext), cipher.final()]));
    expect(ours.tag).toEqual(cipher.getAuthTag());
    expect(await t.km.aesGcmDecrypt(key, iv, aad, ours.ciphertext, ours.tag)).toEqual(plaintext);

    const short = await t.km.aesGcmEncrypt(key, iv, aad, plaintext, 12);
    expect(short.tag).toEqual(ours.tag.subarray(0, 12));
    expect(await t.km.aesGcmDecrypt(key, iv, aad, short.ciphertext, short.tag)).toEqual(plaintext);

    const badTag = Buffer.from(ours.tag);
    badTag[0]! ^= 1;
    const failure = t.km.aesGcmDecrypt(key, iv, aad, ours.ciphertext, badTag);
    await expect(failure).rejects.toMatchObject({ code: 'integrity' });
    await expect(failure).rejects.toThrow(`AES-GCM decryption with ${key} failed: the authentication tag does not verify`);
    await expect(t.km.aesGcmDecrypt(key, iv, Buffer.from('other aad'), ours.ciphertext, ours.tag)).rejects.toMatchObject({ code: 'integrity' });
  });

  it('AES-CBC and one-block ECB match node:crypto', async () => {
    const key = t.uri('modes');
    const iv = randomBytes(16);
    const plaintext = randomBytes(64);
    const expected = createCipheriv('aes-128-cbc', MODE_KEY, iv).setAutoPadding(false).update(plaintext);
    const ciphertext = await t.km.aesCbcEncrypt(key, iv, plaintext);
    expect(ciphertext).toEqual(expected);
    expect(await t.km.aesCbcDecrypt(key, iv, ciphertext)).toEqual(plaintext);
    expect(createDecipheriv('aes-128-cbc', MODE_KEY, iv).setAutoPadding(false).update(ciphertext)).toEqual(plaintext);

    const block = randomBytes(16);
    expect(await t.km.aesEcbEncryptBlock(key, block)).toEqual(createCipheriv('aes-128-ecb', MODE_KEY, null).setAutoPadding(false).update(block));
  });

  it('explains bad IVs and lengths', async () => {
    const key = t.uri('modes');
    await expect(t.km.aesCbcEncrypt(key, Buffer.alloc(8), Buffer.alloc(16))).rejects.toThrow('an AES-CBC IV has 16 bytes, got 8');
    await expect(t.km.aesCbcEncrypt(key, Buffer.alloc(16), Buffer.alloc(15))).rejects.toThrow('non-empty multiple of 16 bytes, got 15');
    await expect(t.km.aesEcbEncryptBlock(key, Buffer.alloc(32))).rejects.toThrow('one 16-byte block, got 32 bytes');
    await expect(t.km.aesGcmEncrypt(key, Buffer.alloc(12), Buffer.alloc(0), Buffer.alloc(1), 11)).rejects.toThrow('an AES-GCM tag has 4, 8 or 12 to 16 bytes, got 11');
  });

  it('refuses a key whose usages do not include the operation, saying so', async () => {
    const uri = t.uri('encrypt-only');
    await t.km.createAesKey(uri, { bits: 128, usages: ['encrypt', 'decrypt'] });
    await expect(t.km.aesCmac(uri, Buffer.alloc(16))).rejects.toMatchObject({
      code: 'not-permitted',
      message: `AES-CMAC with ${uri} failed: the key's attributes do not permit this operation (CKR_KEY_FUNCTION_NOT_PERMITTED)`,
    });
  });
});

describe('master keys and wrapped working keys', () => {
  let working: WrappedKey;

  beforeAll(async () => {
    await t.km.createAesKey(t.uri('master-1'), { bits: 256, usages: ['wrap', 'unwrap'] });
    await t.km.createAesKey(t.uri('master-2'), { bits: 256, usages: ['wrap', 'unwrap'] });
    working = await t.km.generateWrappedAesKey(t.uri('master-1'), 128);
    await t.km.createEcKeyPair(t.uri('ecdh'), 'brainpoolP256r1', { usages: ['derive'] });
  });

  it('master keys are sensitive and not extractable, not even wrapped', async () => {
    expect(await t.km.findKey(t.uri('master-1'))).toMatchObject({ kind: 'aes', bits: 256, sensitive: true, extractable: false });
    await expect(t.km.wrapKey(t.uri('master-2'), t.uri('master-1'))).rejects.toMatchObject({ code: 'not-permitted' });
    await withDirectSession(t.token, (direct) => {
      const [master] = findObjects(direct, [{ type: pkcs11js.CKA_LABEL, value: 'master-1' }]);
      expect(() => direct.pkcs11.C_GetAttributeValue(direct.session, master!, [{ type: pkcs11js.CKA_VALUE }])).toThrow('CKR_ATTRIBUTE_SENSITIVE');
    });
    const listed = listObjectsWithPkcs11Tool(t.token).filter((o) => o.label === 'master-1' || o.label === 'master-2');
    expect(listed).toHaveLength(2);
    for (const key of listed) {
      expect(key.heading).toMatch(/^Secret Key Object; AES/);
      expect(key.access).toContain('never extractable');
      expect(key.access).toContain('sensitive');
    }
  });

  it('a working key exists outside the token only wrapped, and serves CMAC and GCM as a WrappedKey', async () => {
    expect(working.wrappingKeyUri).toBe(t.uri('master-1'));
    expect(working.wrapped).toHaveLength(24);
    const data = Buffer.from('frame counter 42');
    const mac = await t.km.aesCmac(working, data);
    expect(await t.km.aesCmac(working, data)).toEqual(mac);
    const iv = randomBytes(12);
    const sealed = await t.km.aesGcmEncrypt(working, iv, Buffer.alloc(0), data);
    expect(await t.km.aesGcmDecrypt(working, iv, Buffer.alloc(0), sealed.ciphertext, sealed.tag)).toEqual(data);
    expect((await t.km.generateWrappedAesKey(t.uri('master-1'), 256)).wrapped).toHaveLength(40);
  });

  it('re-wraps under another master key without the key changing, and refuses the wrong master key', async () => {
    const rewrapped = await t.km.rewrapKey(working, t.uri('master-2'));
    expect(rewrapped.wrappingKeyUri).toBe(t.uri('master-2'));
    expect(rewrapped.wrapped).not.toEqual(working.wrapped);
    const data = Buffer.from('same key inside');
    expect(await t.km.aesCmac(rewrapped, data)).toEqual(await t.km.aesCmac(working, data));
    await expect(t.km.rewrapKey({ ...working, wrappingKeyUri: t.uri('master-2') }, t.uri('master-1'))).rejects.toMatchObject({
      code: 'integrity',
      message: expect.stringContaining(`under ${t.uri('master-2')} failed: the RFC 3394 integrity check failed`),
    });
  });

  it('unwraps into a persistent token key with the usages asked for', async () => {
    const info = await t.km.unwrapKey(working, t.uri('meter-4711'), { bits: 128, usages: ['sign', 'encrypt'], wrappable: true });
    expect(info).toMatchObject({ kind: 'aes', bits: 128, sensitive: true, extractable: true, uri: t.uri('meter-4711') });
    const data = Buffer.from('persisted');
    expect(await t.km.aesCmac(t.uri('meter-4711'), data)).toEqual(await t.km.aesCmac(working, data));
    await expect(t.km.unwrapKey(working, t.uri('meter-4711'), { bits: 128, usages: ['sign'] })).rejects.toMatchObject({ code: 'exists' });
    await expect(t.km.unwrapKey(working, t.uri('meter-x'), { bits: 256, usages: ['sign'] })).rejects.toThrow('a wrapped AES-256 key has 40 bytes');
  });

  it('leaves no unwrapped working key behind in the token', async () => {
    // Unwrapped and generated working keys are unlabelled session objects (the workers' cached session copies of
    // token keys carry the token key's label).
    const countWorkingKeys = (): Promise<number> =>
      withDirectSession(t.token, (direct) =>
        findObjects(direct, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
          { type: pkcs11js.CKA_TOKEN, value: false },
          { type: pkcs11js.CKA_LABEL, value: '' },
        ]).length,
      );
    await Promise.all(Array.from({ length: 50 }, (_, i) => t.km.aesCmac(working, Buffer.from([i]))));
    await Promise.all(Array.from({ length: 10 }, () => t.km.generateWrappedAesKey(t.uri('master-1'), 128)));
    await Promise.all(Array.from({ length: 10 }, () => t.km.rewrapKey(working, t.uri('master-2'))));
    await Promise.all(Array.from({ length: 10 }, () => t.km.deriveSharedSecret(t.uri('ecdh'), createECDH('brainpoolP256r1').generateKeys())));
    expect(await countWorkingKeys()).toBe(0);
  });

  it('lists AES keys', async () => {
    const labels = (await t.km.listKeys({ kind: 'aes' })).map((key) => key.label);
    expect(labels).toEqual(expect.arrayContaining(['master-1', 'master-2', 'meter-4711', 'rfc3394-kek', 'modes']));
  });
});
