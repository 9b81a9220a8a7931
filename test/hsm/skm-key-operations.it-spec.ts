/**
 * The key-manager operations the SKM needs (issue 6) against SoftHSM2: importing a transport key from its value,
 * wrapping a wrapped key under another wrapped key, deriving keys by AES-CMAC inside the token, and AES-GCM with a
 * key's value in the AAD. Results are checked against the RFC vectors and node:crypto.
 */
import { createCipheriv } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { WrappedKey } from '@smpki/hsm';
import { findObjects, withDirectSession } from './support/direct-session';
import { openTestKeyManager, type TestKeyManager } from './support/test-key-manager';

let t: TestKeyManager;
let master: string;

const hex = (value: string): Buffer => Buffer.from(value.replace(/\s/g, ''), 'hex');
const RFC3394_KEK = hex('000102030405060708090A0B0C0D0E0F');
const RFC3394_KEY = hex('00112233445566778899AABBCCDDEEFF');
const RFC3394_WRAPPED = hex('1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5');
const RFC4493_KEY = hex('2b7e151628aed2a6abf7158809cf4f3c');
const RFC4493_BLOCK = hex('6bc1bee22e409f96e93d7e117393172a');
const RFC4493_MAC = hex('070a16b46b4d4144f79bdd9dd04a287c');

const ecb = (key: Buffer, block: Buffer): Buffer => createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false).update(block);

/** A clear test value as the SKM stores keys: imported wrappable, exported wrapped under the master, deleted. */
async function storedWrapped(name: string, value: Buffer): Promise<WrappedKey> {
  const uri = t.uri(name);
  await t.km.importAesKey(uri, value, { bits: 128, usages: ['encrypt', 'decrypt', 'sign', 'wrap', 'derive'], wrappable: true });
  const wrapped = { wrappingKeyUri: master, wrapped: await t.km.wrapKey(master, uri) };
  await t.km.destroyKey(uri);
  return wrapped;
}

beforeAll(async () => {
  t = await openTestKeyManager();
  master = t.uri('tenant-master');
  await t.km.createAesKey(master, { bits: 256, usages: ['wrap', 'unwrap'] });
});

afterAll(async () => {
  await t?.dispose();
});

describe('importAesKey', () => {
  it('creates a sensitive token key with the value given, extractable only when wrappable', async () => {
    const transport = await t.km.importAesKey(t.uri('transport'), RFC3394_KEK, { bits: 128, usages: ['wrap', 'unwrap'] });
    expect(transport).toMatchObject({ kind: 'aes', bits: 128, sensitive: true, extractable: false });
    await t.km.importAesKey(t.uri('working'), RFC3394_KEY, { bits: 128, usages: ['encrypt'], wrappable: true });
    expect(await t.km.findKey(t.uri('working'))).toMatchObject({ sensitive: true, extractable: true });
    // The imported KEK wraps the imported key to the RFC 3394 §4.1 vector: both hold the values given.
    expect(await t.km.wrapKey(t.uri('transport'), t.uri('working'))).toEqual(RFC3394_WRAPPED);
    await expect(t.km.wrapKey(master, t.uri('transport'))).rejects.toMatchObject({ code: 'not-permitted' });
    await withDirectSession(t.token, (direct) => {
      const [handle] = findObjects(direct, [{ type: pkcs11js.CKA_LABEL, value: 'transport' }]);
      expect(() => direct.pkcs11.C_GetAttributeValue(direct.session, handle!, [{ type: pkcs11js.CKA_VALUE }])).toThrow('CKR_ATTRIBUTE_SENSITIVE');
    });
  });

  it('refuses a value of the wrong length (without echoing it) and an existing name', async () => {
    const failure = t.km.importAesKey(t.uri('short'), hex('00112233'), { bits: 128, usages: ['encrypt'] });
    await expect(failure).rejects.toThrow('an AES-128 key value has 16 bytes, got 4');
    await expect(t.km.importAesKey(t.uri('transport'), RFC3394_KEK, { bits: 128, usages: ['wrap'] })).rejects.toMatchObject({ code: 'exists' });
    expect(await t.km.findKey(t.uri('short'))).toBeUndefined();
  });
});

describe('wrapKeyUnder', () => {
  it('wraps a wrapped key under a wrapped KEK (DLMS key transfer) to the RFC 3394 vector', async () => {
    const kek = await storedWrapped('kek-in', RFC3394_KEK);
    const key = await storedWrapped('key-in', RFC3394_KEY);
    expect(await t.km.wrapKeyUnder(kek, key)).toEqual(RFC3394_WRAPPED);
    expect(await t.km.wrapKeyUnder(t.uri('transport'), key)).toEqual(RFC3394_WRAPPED);
  });

  it('refuses a key that is not wrappable', async () => {
    await expect(t.km.wrapKeyUnder(t.uri('transport'), master)).rejects.toMatchObject({ code: 'not-permitted' });
  });
});

describe('deriveAesKeysByCmac', () => {
  it('derives CMAC(K, block) as keys that stay in the token (checked by their check value)', async () => {
    const base = await storedWrapped('cmac-base', RFC4493_KEY);
    const other = hex('00000000000000000000000000000000');
    const [derived, second] = await t.km.deriveAesKeysByCmac(base, [RFC4493_BLOCK, other], master);
    expect(derived!.wrappingKeyUri).toBe(master);
    const zero = Buffer.alloc(16);
    // The key value is CMAC(K, M) = 070a16b4...: its AES encryption of the zero block equals node's with that value.
    expect(await t.km.aesEcbEncryptBlock(derived!, zero)).toEqual(ecb(RFC4493_MAC, zero));
    expect(await t.km.aesEcbEncryptBlock(second!, zero)).toEqual(ecb(await t.km.aesCmac(base, other), zero));
    expect(derived!.wrapped).not.toEqual(RFC4493_MAC);
  });

  it('refuses inputs that are not one complete block', async () => {
    const base = await storedWrapped('cmac-base-2', RFC4493_KEY);
    await expect(t.km.deriveAesKeysByCmac(base, [Buffer.alloc(15)], master)).rejects.toThrow('CMAC key derivation takes one 16-byte block, got 15 bytes');
  });
});

describe('AES-GCM with a key in the AAD', () => {
  it('authenticates prefix || AK || suffix like node:crypto, with the AK wrapped or a wrappable token key', async () => {
    const ekValue = hex('000102030405060708090A0B0C0D0E0F');
    const akValue = hex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
    const ek = await storedWrapped('ek', ekValue);
    const ak = await storedWrapped('ak', akValue);
    const iv = hex('4D4D4D0000BC614E01234567');
    const plaintext = hex('C0010000080000010000FF0200');
    const aad = Buffer.concat([hex('30'), akValue, hex('AA')]);
    const cipher = createCipheriv('aes-128-gcm', ekValue, iv, { authTagLength: 16 }).setAAD(aad);
    const expected = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const ours = await t.km.aesGcmEncryptWithKeyedAad(ek, iv, { prefix: hex('30'), key: ak, suffix: hex('AA') }, plaintext, 12);
    expect(ours.ciphertext).toEqual(expected);
    expect(ours.tag).toEqual(cipher.getAuthTag().subarray(0, 12));
    expect(await t.km.aesGcmDecryptWithKeyedAad(ek, iv, { prefix: hex('30'), key: ak, suffix: hex('AA') }, ours.ciphertext, ours.tag)).toEqual(plaintext);

    await t.km.importAesKey(t.uri('ak-token'), akValue, { bits: 128, usages: ['encrypt'], wrappable: true });
    expect(await t.km.aesGcmDecryptWithKeyedAad(ek, iv, { prefix: hex('30'), key: t.uri('ak-token'), suffix: hex('AA') }, ours.ciphertext, ours.tag)).toEqual(plaintext);

    const otherAk = await storedWrapped('ak-other', hex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDE00'));
    await expect(t.km.aesGcmDecryptWithKeyedAad(ek, iv, { prefix: hex('30'), key: otherAk, suffix: hex('AA') }, ours.ciphertext, ours.tag)).rejects.toMatchObject({
      code: 'integrity',
    });
  });

  it('refuses a token key that is not wrappable as AAD key', async () => {
    const ek = await storedWrapped('ek-2', RFC3394_KEK);
    await expect(t.km.aesGcmEncryptWithKeyedAad(ek, Buffer.alloc(12), { prefix: hex('30'), key: t.uri('transport') }, Buffer.alloc(1), 12)).rejects.toMatchObject({
      code: 'not-permitted',
    });
  });
});
