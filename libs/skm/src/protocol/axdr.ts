/** The few A-XDR / BER pieces the DLMS APDUs need: definite lengths and the data types of key transfer. */
import { malformed } from './protocol-error';

/** BER definite length: one byte below 128, else 0x81 / 0x82 followed by the length. */
export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length <= 0xff) return Buffer.from([0x81, length]);
  if (length <= 0xffff) return Buffer.from([0x82, length >> 8, length & 0xff]);
  return malformed(`a length of ${length} bytes is beyond what DLMS APDUs carry`);
}

/** Reads a BER definite length at `offset`: the value and where the content starts. */
export function decodeLength(bytes: Uint8Array, offset: number): { length: number; next: number } {
  const first = bytes[offset];
  if (first === undefined) malformed('the APDU ends before its length');
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  if (count < 1 || count > 2 || offset + 1 + count > bytes.length) malformed(`unsupported length encoding 0x${first.toString(16)}`);
  let length = 0;
  for (let i = 0; i < count; i++) length = (length << 8) | bytes[offset + 1 + i]!;
  return { length, next: offset + 1 + count };
}

/** A-XDR data tags (IEC 62056-6-2). */
export const AxdrTag = { array: 0x01, structure: 0x02, octetString: 0x09, enum: 0x16 } as const;

export function octetString(value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([AxdrTag.octetString]), encodeLength(value.length), value]);
}
