/**
 * OMS / wireless M-Bus decryption against SoftHSM2 with the meter key stored wrapped: the mode 5 and mode 7
 * vectors of domain.md §4 (Kenc/Kmac checked by their effect and by their check values, as they never leave the
 * HSM), RFC 4493, and tampered telegrams.
 */
import { createCipheriv } from 'node:crypto';
import type { WrappedKey } from '@smpki/hsm';
import {
  AuthenticationFailedError,
  InMemoryInvocationCounterStore,
  mode5Iv,
  mode7KdfInput,
  omsDecryptMode5,
  omsDecryptMode7,
  parseWmbusTelegram,
} from '../../../libs/skm/src/protocol';
import { hex, openProtocolKeys, type ProtocolKeys } from './protocol-keys';

const MODE5_KEY = hex('0102030405060708090A0B0C0D0E0F11');
const MODE5_TELEGRAM = hex('2E4493157856341233037A2A0020255923C95AAA26D1B2E7493B013EC4A6F6D3529B520EDFF0EA6DEFC99D6D69EBF3');
const MODE5_IV = hex('93157856341233032A2A2A2A2A2A2A2A');
const PLAINTEXT = hex('2F2F0C1427048502046D32371F1502FD1700002F2F2F2F2F2F2F2F2F2F2F2F2F');
const MODE7_KEY = hex('000102030405060708090A0B0C0D0E0F');
const MODE7_TELEGRAM = hex(
  '434493157856341233038C2075900F002C25B30A000021924D4F2FB66E017A75002007109058475F4BC91DF878B80A1B0F98B629024AAC727942BFC549233C0140829B93',
);
const KDF_INPUT = hex('00B30A00007856341207070707070707');
const KENC = hex('ECCF39D475D730B8284FDFDC1995D52F');
const KMAC = hex('C9CD19FF5A9AAD5A6BBDA13BD2C4C7AD');
const RFC4493_KEY = hex('2b7e151628aed2a6abf7158809cf4f3c');

const checkValue = (key: Buffer): Buffer => createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(Buffer.alloc(16));

let p: ProtocolKeys;
let mode5Key: WrappedKey;
let mode7Key: WrappedKey;

beforeAll(async () => {
  p = await openProtocolKeys();
  mode5Key = await p.stored('meter-5', MODE5_KEY);
  mode7Key = await p.stored('meter-7', MODE7_KEY);
});

afterAll(async () => {
  await p?.t.dispose();
});

describe('mode 5', () => {
  it('decrypts the vector with the IV from the link-layer header', async () => {
    expect(mode5Iv(parseWmbusTelegram(MODE5_TELEGRAM))).toEqual(MODE5_IV);
    const result = await omsDecryptMode5(p.t.km, mode5Key, MODE5_TELEGRAM);
    expect(result.plaintext.subarray(0, 32)).toEqual(PLAINTEXT.subarray(0, 32));
    expect(result.plaintext.subarray(0, PLAINTEXT.length)).toEqual(PLAINTEXT);
  });

  it('takes the IV from the TPL when the telegram has a long header (CI 0x72)', async () => {
    // Link layer of a repeater/gateway; the meter's own address is in the long TPL header.
    const tplAddress = { id: hex('11223344'), manufacturer: hex('A511'), version: 0x07, type: 0x07 };
    const iv = Buffer.concat([tplAddress.manufacturer, tplAddress.id, Buffer.from([tplAddress.version, tplAddress.type]), Buffer.alloc(8, 0x51)]);
    const ciphertext = createCipheriv('aes-128-cbc', MODE5_KEY, iv).setAutoPadding(false).update(PLAINTEXT.subarray(0, 32));
    const body = Buffer.concat([
      hex('44 9315 99999999 01 07'),
      Buffer.from([0x72]),
      tplAddress.id,
      tplAddress.manufacturer,
      Buffer.from([tplAddress.version, tplAddress.type, 0x51, 0x00]),
      hex('2005'),
      ciphertext,
    ]);
    const telegram = Buffer.concat([Buffer.from([body.length]), body]);
    expect(mode5Iv(parseWmbusTelegram(telegram))).toEqual(iv);
    expect((await omsDecryptMode5(p.t.km, mode5Key, telegram)).plaintext).toEqual(PLAINTEXT.subarray(0, 32));
  });

  it('refuses a wrong key (no 2F2F), a truncated telegram and another mode', async () => {
    await expect(omsDecryptMode5(p.t.km, mode7Key, MODE5_TELEGRAM)).rejects.toMatchObject({ code: 'decryption-failed' });
    await expect(omsDecryptMode5(p.t.km, mode5Key, MODE5_TELEGRAM.subarray(0, 30))).rejects.toMatchObject({ code: 'malformed' });
    await expect(omsDecryptMode5(p.t.km, mode5Key, MODE7_TELEGRAM)).rejects.toMatchObject({ code: 'unsupported' });
  });
});

describe('mode 7', () => {
  it('derives Kenc/Kmac in the HSM (checked by check value), verifies the MAC and decrypts the vector', async () => {
    const telegram = parseWmbusTelegram(MODE7_TELEGRAM);
    expect(telegram.afl?.mac).toEqual(hex('21924D4F2FB66E01'));
    expect(mode7KdfInput(0x00, telegram.afl!.mcr!, telegram.address.subarray(0, 4))).toEqual(KDF_INPUT);
    const [kenc, kmac] = await p.t.km.deriveAesKeysByCmac(mode7Key, [KDF_INPUT, mode7KdfInput(0x01, telegram.afl!.mcr!, telegram.address.subarray(0, 4))], p.master);
    expect(await p.t.km.aesEcbEncryptBlock(kenc!, Buffer.alloc(16))).toEqual(checkValue(KENC));
    expect(await p.t.km.aesEcbEncryptBlock(kmac!, Buffer.alloc(16))).toEqual(checkValue(KMAC));

    const result = await omsDecryptMode7(p.t.km, mode7Key, MODE7_TELEGRAM);
    expect(result).toMatchObject({ mode: 7, counter: 0x0ab3 });
    expect(result.plaintext.subarray(0, PLAINTEXT.length)).toEqual(PLAINTEXT);
  });

  it('a bad MAC, an altered ciphertext or counter, or a wrong key is an AuthenticationFailedError', async () => {
    const macAt = MODE7_TELEGRAM.indexOf(hex('21924D4F2FB66E01'));
    for (const offset of [macAt, MODE7_TELEGRAM.length - 5, macAt - 4]) {
      const tampered = Buffer.from(MODE7_TELEGRAM);
      tampered[offset]! ^= 0x01;
      await expect(omsDecryptMode7(p.t.km, mode7Key, tampered)).rejects.toBeInstanceOf(AuthenticationFailedError);
    }
    await expect(omsDecryptMode7(p.t.km, mode5Key, MODE7_TELEGRAM)).rejects.toMatchObject({ code: 'authentication-failed' });
  });

  it('a replayed counter is refused by the counter store after a successful decryption', async () => {
    const store = new InMemoryInvocationCounterStore();
    const { counter } = await omsDecryptMode7(p.t.km, mode7Key, MODE7_TELEGRAM);
    await store.advance('93157856341233', 'meter-7', counter!);
    const again = await omsDecryptMode7(p.t.km, mode7Key, MODE7_TELEGRAM);
    await expect(store.advance('93157856341233', 'meter-7', again.counter!)).rejects.toMatchObject({ code: 'replayed-counter' });
  });
});

describe('AES-CMAC (RFC 4493)', () => {
  it('matches the one-block vector with a wrapped key', async () => {
    const key = await p.stored('rfc4493', RFC4493_KEY);
    expect((await p.t.km.aesCmac(key, hex('6bc1bee22e409f96e93d7e117393172a'))).toString('hex')).toBe('070a16b46b4d4144f79bdd9dd04a287c');
  });
});
