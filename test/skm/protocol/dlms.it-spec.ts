/**
 * DLMS/COSEM suite 0 against SoftHSM2 with the keys stored wrapped: the Green Book GCM example (domain.md §3),
 * the glo-ciphering framings, the invocation-counter guard, and global_key_transfer with the RFC 3394 vector.
 */
import { createDecipheriv } from 'node:crypto';
import type { WrappedKey } from '@smpki/hsm';
import {
  AuthenticationFailedError,
  decodeGeneralGloCiphering,
  decodeGloApdu,
  decodeProtected,
  DlmsKeyId,
  dlmsProtect,
  dlmsUnprotect,
  encodeGeneralGloCiphering,
  encodeGloApdu,
  encodeProtected,
  globalKeyTransferParameter,
  GloTag,
  InMemoryInvocationCounterStore,
  ReplayedCounterError,
  type DlmsSuite0Keys,
} from '../../../libs/skm/src/protocol';
import { hex, openProtocolKeys, type ProtocolKeys } from './protocol-keys';

const EK = hex('000102030405060708090A0B0C0D0E0F');
const AK = hex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const SYSTEM_TITLE = hex('4D4D4D0000BC614E');
const COUNTER = 0x01234567;
const PLAINTEXT = hex('C0010000080000010000FF0200');
const CIPHERTEXT = hex('411312FF935A47566827C467BC');
const TAG = hex('7D825C3BE4A77C3FCC056B6B');
const FULL_APDU = hex('C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B');
const RFC3394_KEK = hex('000102030405060708090A0B0C0D0E0F');
const RFC3394_KEY = hex('00112233445566778899AABBCCDDEEFF');
const RFC3394_WRAPPED = hex('1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5');

let p: ProtocolKeys;
let keys: DlmsSuite0Keys;

beforeAll(async () => {
  p = await openProtocolKeys();
  keys = { encryptionKey: await p.stored('guek', EK), authenticationKey: await p.stored('ak', AK) };
});

afterAll(async () => {
  await p?.t.dispose();
});

describe('suite 0 protect / unprotect', () => {
  it('reproduces the Green Book example byte for byte, framed as glo-get-request', async () => {
    const sealed = await dlmsProtect(p.t.km, keys, { securityControl: 0x30, systemTitle: SYSTEM_TITLE, invocationCounter: COUNTER, apdu: PLAINTEXT });
    expect(sealed.information).toEqual(CIPHERTEXT);
    expect(sealed.tag).toEqual(TAG);
    expect(encodeGloApdu(GloTag.getRequest, encodeProtected(sealed))).toEqual(FULL_APDU);
  });

  it('unprotects the example APDU, and a general-glo-ciphering frame carries the same protected octets', async () => {
    const { tag, protectedBytes } = decodeGloApdu(FULL_APDU);
    expect(tag).toBe(GloTag.getRequest);
    expect(await dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, protectedBytes)).toEqual(PLAINTEXT);
    const general = encodeGeneralGloCiphering(SYSTEM_TITLE, protectedBytes);
    expect(general.subarray(0, 11)).toEqual(hex('DB084D4D4D0000BC614E1E'));
    expect(decodeGeneralGloCiphering(general)).toEqual({ systemTitle: SYSTEM_TITLE, protectedBytes });
  });

  it('refuses a bad tag, altered ciphertext, another AK or another system title as authentication failures', async () => {
    const { protectedBytes } = decodeGloApdu(FULL_APDU);
    const badTag = Buffer.from(protectedBytes);
    badTag[badTag.length - 1]! ^= 0x01;
    const badCipher = Buffer.from(protectedBytes);
    badCipher[6]! ^= 0x80;
    await expect(dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, badTag)).rejects.toBeInstanceOf(AuthenticationFailedError);
    await expect(dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, badCipher)).rejects.toMatchObject({ code: 'authentication-failed' });
    const otherAk = { ...keys, authenticationKey: await p.stored('ak-other', hex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDE00')) };
    await expect(dlmsUnprotect(p.t.km, otherAk, SYSTEM_TITLE, protectedBytes)).rejects.toMatchObject({ code: 'authentication-failed' });
    await expect(dlmsUnprotect(p.t.km, keys, hex('4D4D4D0000BC614F'), protectedBytes)).rejects.toMatchObject({ code: 'authentication-failed' });
  });

  it('authentication only (SC 0x10) sends the APDU in clear with a tag over SC || AK || APDU; encryption only has no tag', async () => {
    const authOnly = await dlmsProtect(p.t.km, keys, { securityControl: 0x10, systemTitle: SYSTEM_TITLE, invocationCounter: 7, apdu: PLAINTEXT });
    expect(authOnly.information).toEqual(PLAINTEXT);
    expect(authOnly.tag).toHaveLength(12);
    const bytes = encodeProtected(authOnly);
    expect(await dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, bytes)).toEqual(PLAINTEXT);
    bytes[7]! ^= 0x01; // an altered clear APDU
    await expect(dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, bytes)).rejects.toMatchObject({ code: 'authentication-failed' });

    const encOnly = await dlmsProtect(p.t.km, keys, { securityControl: 0x20, systemTitle: SYSTEM_TITLE, invocationCounter: COUNTER, apdu: PLAINTEXT });
    expect(encOnly).toMatchObject({ information: CIPHERTEXT, tag: Buffer.alloc(0) });
    expect(await dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, encodeProtected(encOnly))).toEqual(PLAINTEXT);
  });

  it('refuses other suites and malformed frames', async () => {
    await expect(dlmsProtect(p.t.km, keys, { securityControl: 0x31, systemTitle: SYSTEM_TITLE, invocationCounter: 1, apdu: PLAINTEXT })).rejects.toMatchObject({
      code: 'unsupported',
    });
    expect(() => decodeProtected(hex('3001'))).toThrow('at least 5 bytes');
    expect(() => decodeGloApdu(hex('C81F3001234567'))).toThrow('says 31 octets follow, but 5 do');
  });
});

describe('invocation-counter guard', () => {
  it('accepts a rising counter once the tag verified, and refuses a replayed or older one', async () => {
    const store = new InMemoryInvocationCounterStore();
    const guard = { store, meter: SYSTEM_TITLE.toString('hex'), keyId: 'guek' };
    const { protectedBytes } = decodeGloApdu(FULL_APDU);
    const badTag = Buffer.from(protectedBytes);
    badTag[badTag.length - 1]! ^= 0x01;
    // A forged frame must not advance the counter: the genuine one is still accepted afterwards.
    await expect(dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, badTag, guard)).rejects.toMatchObject({ code: 'authentication-failed' });
    expect(await dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, protectedBytes, guard)).toEqual(PLAINTEXT);
    const replay = dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, protectedBytes, guard);
    await expect(replay).rejects.toBeInstanceOf(ReplayedCounterError);
    await expect(replay).rejects.toMatchObject({ code: 'replayed-counter', last: COUNTER, received: COUNTER });

    const older = await dlmsProtect(p.t.km, keys, { securityControl: 0x30, systemTitle: SYSTEM_TITLE, invocationCounter: COUNTER - 1, apdu: PLAINTEXT });
    await expect(dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, encodeProtected(older), guard)).rejects.toMatchObject({ code: 'replayed-counter' });
    const newer = await dlmsProtect(p.t.km, keys, { securityControl: 0x30, systemTitle: SYSTEM_TITLE, invocationCounter: COUNTER + 1, apdu: PLAINTEXT });
    expect(await dlmsUnprotect(p.t.km, keys, SYSTEM_TITLE, encodeProtected(newer), guard)).toEqual(PLAINTEXT);
    // Counters are per meter and key.
    await expect(store.advance(guard.meter, 'gbek', 1)).resolves.toBeUndefined();
  });
});

describe('global_key_transfer', () => {
  let kek: WrappedKey;

  beforeAll(async () => {
    kek = await p.stored('meter-kek', RFC3394_KEK);
  });

  it('wraps the new key under the stored KEK to the RFC 3394 vector, A-XDR encoded', async () => {
    const newKey = await p.stored('new-guek', RFC3394_KEY);
    const parameter = await globalKeyTransferParameter(p.t.km, kek, [{ keyId: DlmsKeyId.globalUnicastEncryption, key: newKey }]);
    expect(parameter).toEqual(Buffer.concat([hex('0101 0202 1600 0918'), RFC3394_WRAPPED]));
  });

  it('encodes several keys, each unwrapping under the KEK to its value', async () => {
    const ak2 = hex('000102030405060708090a0b0c0d0e0f'.split('').reverse().join(''));
    const parameter = await globalKeyTransferParameter(p.t.km, kek, [
      { keyId: DlmsKeyId.globalUnicastEncryption, key: await p.stored('k0', RFC3394_KEY) },
      { keyId: DlmsKeyId.authentication, key: await p.stored('k2', ak2) },
    ]);
    expect(parameter.subarray(0, 2)).toEqual(hex('0102'));
    const second = parameter.subarray(2 + 30);
    expect(second.subarray(0, 6)).toEqual(hex('0202 1602 0918'));
    // Independent check with node:crypto's RFC 3394 unwrap.
    const decipher = createDecipheriv('id-aes128-wrap', RFC3394_KEK, hex('A6A6A6A6A6A6A6A6'));
    expect(Buffer.concat([decipher.update(second.subarray(6)), decipher.final()])).toEqual(ak2);
    await expect(globalKeyTransferParameter(p.t.km, kek, [])).rejects.toThrow('at least one key');
  });
});
