/**
 * The SKM key-shipment format (docs/SKM.md, "Key shipments"): a binary layout whose key blocks are whole, aligned
 * 16-byte blocks, so that inside an AES-CBC envelope each key can be taken into the HSM from its ciphertext block
 * alone (IV = the ciphertext block before it) while the other blocks are decrypted normally.
 *
 *   block 0            'SMKS' | version 0x01 | 3 reserved zero bytes | key count (uint32 BE) | 4 reserved zero bytes
 *   block 1 + 3i       meter id: 16 ASCII hex digits (8 bytes: DLMS system title or wM-Bus M-field + A-field)
 *   block 2 + 3i       kind code (1 byte) | KCV (3 bytes) | 12 reserved zero bytes
 *   block 3 + 3i       the AES-128 key
 */
import type { MeterKeyKind } from '../entities';
import { METER_ID_PATTERN } from '../keys/meter-key-input';

export const SHIPMENT_MAGIC = Buffer.from('SMKS', 'ascii');
export const SHIPMENT_VERSION = 1;
export const BLOCK_BYTES = 16;
export const BLOCKS_PER_KEY = 3;

/** One byte per kind; the DLMS codes are the IEC 62056-5-3 key ids. */
export const KIND_CODES: Readonly<Record<MeterKeyKind, number>> = { 'dlms-guek': 0, 'dlms-gbek': 1, 'dlms-ak': 2, 'dlms-kek': 3, wmbus: 0x10 };

export interface ShipmentEntryHeader {
  meterId: string;
  /** Undefined when the code is no kind the SKM knows. */
  kind: MeterKeyKind | undefined;
  kindCode: number;
  kcv: string;
  /** A problem with the non-secret blocks of this entry (meter id format, reserved bytes), if any. */
  problem?: { rule: string; message: string };
}

/** Block number of entry i's key. */
export function keyBlockOf(index: number): number {
  return 1 + BLOCKS_PER_KEY * index + 2;
}

export function shipmentBytes(count: number): number {
  return BLOCK_BYTES * (1 + BLOCKS_PER_KEY * count);
}

export function encodeHeader(count: number): Buffer {
  const header = Buffer.alloc(BLOCK_BYTES);
  SHIPMENT_MAGIC.copy(header, 0);
  header[4] = SHIPMENT_VERSION;
  header.writeUInt32BE(count, 8);
  return header;
}

/** The key count, or a reason why block 0 is no shipment header. */
export function decodeHeader(block: Buffer): number | string {
  if (!block.subarray(0, 4).equals(SHIPMENT_MAGIC)) return "the content does not start with 'SMKS'";
  if (block[4] !== SHIPMENT_VERSION) return `shipment format version ${block[4]} is not supported (1 is)`;
  return block.readUInt32BE(8);
}

export function encodeEntryBlocks(meterId: string, kind: MeterKeyKind, kcv: string): Buffer {
  const blocks = Buffer.alloc(2 * BLOCK_BYTES);
  blocks.write(meterId.toUpperCase(), 0, 'ascii');
  blocks[BLOCK_BYTES] = KIND_CODES[kind];
  Buffer.from(kcv, 'hex').copy(blocks, BLOCK_BYTES + 1);
  return blocks;
}

/** The meter-id and kind/KCV blocks of entry i, from the (partly) decrypted content. */
export function decodeEntryHeader(plaintext: Buffer, index: number): ShipmentEntryHeader {
  const start = BLOCK_BYTES * (1 + BLOCKS_PER_KEY * index);
  return decodeEntryBlocks(plaintext.subarray(start, start + 2 * BLOCK_BYTES));
}

/** An entry's meter-id block and kind/KCV block (32 bytes, decrypted). */
export function decodeEntryBlocks(blocks: Buffer): ShipmentEntryHeader {
  const meterId = blocks.subarray(0, BLOCK_BYTES).toString('latin1');
  const info = blocks.subarray(BLOCK_BYTES, 2 * BLOCK_BYTES);
  const kindCode = info[0]!;
  const kind = (Object.keys(KIND_CODES) as MeterKeyKind[]).find((name) => KIND_CODES[name] === kindCode);
  const entry: ShipmentEntryHeader = { meterId: meterId.toUpperCase(), kind, kindCode, kcv: info.subarray(1, 4).toString('hex').toUpperCase() };
  if (!METER_ID_PATTERN.test(meterId)) return { ...entry, meterId: '?', problem: { rule: 'meter.id-format', message: 'the meter id block is not 16 hex digits' } };
  if (info.subarray(4).some((byte) => byte !== 0)) return { ...entry, problem: { rule: 'shipment.reserved-not-zero', message: 'reserved bytes of the kind block are not zero' } };
  return entry;
}

/** Entries a content of `blocks` 16-byte blocks holds (header, 3 blocks a key, one padding block), or undefined. */
export function entriesInBlocks(blocks: number): number | undefined {
  const entries = (blocks - 2) / BLOCKS_PER_KEY;
  return Number.isInteger(entries) && entries >= 0 ? entries : undefined;
}

/** PKCS#7 padding as CMS adds it to the content; the unpadded length, or undefined when the padding is wrong. */
export function unpaddedLength(plaintext: Buffer): number | undefined {
  const pad = plaintext[plaintext.length - 1]!;
  if (pad < 1 || pad > BLOCK_BYTES) return undefined;
  if (plaintext.subarray(plaintext.length - pad).some((byte) => byte !== pad)) return undefined;
  return plaintext.length - pad;
}

export function pkcs7Padding(length: number): Buffer {
  const pad = BLOCK_BYTES - (length % BLOCK_BYTES);
  return Buffer.alloc(pad, pad);
}
