/**
 * The parts of a wireless M-Bus telegram (EN 13757-4/-7, OMS Vol. 2; CRC-free form) that decryption needs: link
 * layer (L, C, M, A), optional ELL (CI 0x8C) and AFL (CI 0x90), and the transport layer (short 0x7A / long 0x72).
 */
import { malformed, ProtocolError } from './protocol-error';

export interface AflFields {
  /** Message control (AFL.MCL), part of the mode 7 MAC input. */
  mcl: number;
  /** Message counter as transmitted (4 bytes, little-endian), when present. */
  mcr?: Buffer;
  mac?: Buffer;
  /** Message length field (2 bytes), when present. */
  ml?: Buffer;
}

export interface WmbusTelegram {
  /** Manufacturer (2 bytes) and address (id 4, version, type) as transmitted: of the TPL when it has a long header. */
  manufacturer: Buffer;
  address: Buffer;
  accessNumber: number;
  /** TPL configuration word: cfg = b0 | b1 << 8. */
  configuration: number;
  afl?: AflFields;
  /** From the TPL CI field to the end (the mode 7 MAC covers it). */
  tpl: Buffer;
  /** What follows the configuration word (and, in mode 7, its extension). */
  payload: Buffer;
}

const CI_ELL_SHORT = 0x8c;
const CI_AFL = 0x90;
const CI_TPL_SHORT = 0x7a;
const CI_TPL_LONG = 0x72;

/** Security mode = (cfg >> 8) & 0x1F. */
export function securityMode(configuration: number): number {
  return (configuration >> 8) & 0x1f;
}

/** Number of encrypted 16-byte blocks = (cfg >> 4) & 0xF. */
export function encryptedBlocks(configuration: number): number {
  return (configuration >> 4) & 0x0f;
}

function need(bytes: Buffer, end: number, what: string): void {
  if (end > bytes.length) malformed(`the telegram ends inside the ${what}`);
}

function parseAfl(bytes: Buffer, at: number): { afl: AflFields; next: number } {
  need(bytes, at + 2, 'AFL');
  const length = bytes[at + 1]!;
  const end = at + 2 + length;
  need(bytes, end, 'AFL');
  const fcl = bytes.readUInt16LE(at + 2);
  if (fcl & 0x4000) throw new ProtocolError('unsupported', 'fragmented telegrams (AFL more-fragments) are not supported');
  let offset = at + 4;
  const take = (present: boolean, bytesCount: number): Buffer | undefined => {
    if (!present) return undefined;
    const value = bytes.subarray(offset, offset + bytesCount);
    offset += bytesCount;
    return value;
  };
  const mcl = take((fcl & 0x2000) !== 0, 1);
  if (mcl === undefined) malformed('the AFL has no message control field');
  take((fcl & 0x0200) !== 0, 2); // key information: not needed here
  const mcr = take((fcl & 0x0800) !== 0, 4);
  const mac = take((fcl & 0x0400) !== 0, 8);
  const ml = take((fcl & 0x1000) !== 0, 2);
  if (offset !== end) malformed(`the AFL length ${length} does not match its fields`);
  return { afl: { mcl: mcl[0]!, ...(mcr && { mcr }), ...(mac && { mac }), ...(ml && { ml }) }, next: end };
}

export function parseWmbusTelegram(telegram: Uint8Array): WmbusTelegram {
  const bytes = Buffer.from(telegram);
  need(bytes, 11, 'link layer');
  if (bytes[0] !== bytes.length - 1) malformed(`the L field says ${bytes[0]} bytes follow, but ${bytes.length - 1} do (CRCs must be removed)`);
  let manufacturer = bytes.subarray(2, 4);
  let address = bytes.subarray(4, 10);
  let at = 10;
  let afl: AflFields | undefined;
  if (bytes[at] === CI_ELL_SHORT) at += 3;
  if (bytes[at] === CI_AFL) ({ afl, next: at } = parseAfl(bytes, at));
  const ci = bytes[at];
  const tpl = bytes.subarray(at);
  if (ci === CI_TPL_LONG) {
    need(bytes, at + 13, 'long TPL header');
    // The long header's own address: id (4) || manufacturer (2) || version || type.
    address = Buffer.concat([bytes.subarray(at + 1, at + 5), bytes.subarray(at + 7, at + 9)]);
    manufacturer = bytes.subarray(at + 5, at + 7);
    at += 8;
  } else if (ci !== CI_TPL_SHORT) {
    throw new ProtocolError('unsupported', `CI field 0x${(ci ?? 0).toString(16)} is not a transport layer smpki decrypts (0x7A, 0x72)`);
  }
  need(bytes, at + 5, 'TPL header');
  const configuration = bytes.readUInt16LE(at + 3);
  // Mode 7 has a configuration field extension (KDF selection) after the configuration word.
  const headerEnd = at + 5 + (securityMode(configuration) === 7 ? 1 : 0);
  need(bytes, headerEnd, 'TPL header');
  return {
    manufacturer,
    address,
    accessNumber: bytes[at + 1]!,
    configuration,
    ...(afl && { afl }),
    tpl,
    payload: bytes.subarray(headerEnd),
  };
}
