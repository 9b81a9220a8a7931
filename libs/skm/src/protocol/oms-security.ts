/**
 * OMS / wireless M-Bus decryption with the meter key in the HSM (OMS Vol. 2, EN 13757-7).
 * Mode 5: AES-128-CBC, IV = M || A || ACC x 8. Mode 7: Kenc and Kmac = AES-CMAC(K, direction || counter || id ||
 * 07 x 7), derived inside the HSM (KeyManager.deriveAesKeysByCmac) and used there; AES-CBC with IV 0; MAC =
 * CMAC(Kmac, MCL || MCR || [ML] || TPL..end) truncated to 8 bytes. Decrypted data starts with 2F2F.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KeyInput, KeyManager } from '@smpki/hsm';
import { AuthenticationFailedError, malformed, ProtocolError } from './protocol-error';
import { encryptedBlocks, parseWmbusTelegram, securityMode, type WmbusTelegram } from './wmbus-frame';

const BLOCK = 16;
const DECRYPTION_CHECK = Buffer.from([0x2f, 0x2f]);
const MAC_BYTES = 8;

export interface OmsDecrypted {
  mode: 5 | 7;
  /** Decrypted blocks (starting 2F2F) followed by any unencrypted remainder. */
  plaintext: Buffer;
  /** Mode 7: the message counter (AFL.MCR). */
  counter?: number;
}

/** Direction of a mode 7 telegram: from the meter (KDF constants 00/01) or to it (10/11). */
export type OmsDirection = 'from-meter' | 'to-meter';

function encryptedPart(telegram: WmbusTelegram): { ciphertext: Buffer; remainder: Buffer } {
  const length = encryptedBlocks(telegram.configuration) * BLOCK;
  if (length === 0) malformed('the configuration word announces no encrypted blocks');
  if (telegram.payload.length < length) malformed(`the configuration word announces ${length} encrypted bytes, but ${telegram.payload.length} follow`);
  return { ciphertext: telegram.payload.subarray(0, length), remainder: telegram.payload.subarray(length) };
}

function checkDecrypted(plaintext: Buffer): void {
  if (!plaintext.subarray(0, 2).equals(DECRYPTION_CHECK)) {
    throw new ProtocolError('decryption-failed', 'the decrypted data does not start with 2F2F: wrong key or corrupted telegram');
  }
}

/** IV = manufacturer (2) || address (6) || access number x 8. */
export function mode5Iv(telegram: WmbusTelegram): Buffer {
  return Buffer.concat([telegram.manufacturer, telegram.address, Buffer.alloc(8, telegram.accessNumber)]);
}

export async function omsDecryptMode5(km: KeyManager, key: KeyInput, telegramBytes: Uint8Array): Promise<OmsDecrypted> {
  const telegram = parseWmbusTelegram(telegramBytes);
  requireMode(telegram, 5);
  const { ciphertext, remainder } = encryptedPart(telegram);
  const decrypted = await km.aesCbcDecrypt(key, mode5Iv(telegram), ciphertext);
  checkDecrypted(decrypted);
  return { mode: 5, plaintext: Buffer.concat([decrypted, remainder]) };
}

function requireMode(telegram: WmbusTelegram, mode: number): void {
  const found = securityMode(telegram.configuration);
  if (found !== mode) throw new ProtocolError('unsupported', `expected security mode ${mode}, the telegram uses mode ${found}`);
}

/** The KDF input block: direction constant || counter (4, LE) || meter id (4, LE) || 07 x 7. */
export function mode7KdfInput(constant: number, counter: Buffer, meterId: Buffer): Buffer {
  return Buffer.concat([Buffer.from([constant]), counter, meterId, Buffer.alloc(7, 0x07)]);
}

export interface Mode7Options {
  direction?: OmsDirection;
  /**
   * Token key under which the derived Kenc/Kmac travel (wrapped) between the HSM calls; defaults to the wrapping
   * key of a wrapped meter key.
   */
  sessionWrappingKeyUri?: string;
}

/**
 * Verifies the MAC and decrypts a mode 7 telegram. The caller checks the returned counter against the last one
 * accepted (e.g. with an InvocationCounterStore) after this succeeded.
 */
export async function omsDecryptMode7(km: KeyManager, key: KeyInput, telegramBytes: Uint8Array, options: Mode7Options = {}): Promise<OmsDecrypted> {
  const telegram = parseWmbusTelegram(telegramBytes);
  requireMode(telegram, 7);
  const afl = telegram.afl;
  if (!afl?.mcr || !afl.mac) malformed('a mode 7 telegram needs an AFL with message counter and MAC');
  const wrappingKeyUri = options.sessionWrappingKeyUri ?? (typeof key === 'string' ? undefined : key.wrappingKeyUri);
  if (wrappingKeyUri === undefined) malformed('a token meter key needs options.sessionWrappingKeyUri for the derived keys');
  const base = options.direction === 'to-meter' ? 0x10 : 0x00;
  const meterId = telegram.address.subarray(0, 4);
  const [kenc, kmac] = await km.deriveAesKeysByCmac(key, [mode7KdfInput(base, afl.mcr, meterId), mode7KdfInput(base + 1, afl.mcr, meterId)], wrappingKeyUri);
  const macInput = Buffer.concat([Buffer.from([afl.mcl]), afl.mcr, afl.ml ?? Buffer.alloc(0), telegram.tpl]);
  const mac = (await km.aesCmac(kmac!, macInput)).subarray(0, MAC_BYTES);
  if (!timingSafeEqual(mac, afl.mac)) throw new AuthenticationFailedError('the mode 7 MAC does not verify: wrong key or altered telegram');
  const { ciphertext, remainder } = encryptedPart(telegram);
  const decrypted = await km.aesCbcDecrypt(kenc!, Buffer.alloc(BLOCK), ciphertext);
  checkDecrypted(decrypted);
  return { mode: 7, plaintext: Buffer.concat([decrypted, remainder]), counter: afl.mcr.readUInt32LE(0) };
}
