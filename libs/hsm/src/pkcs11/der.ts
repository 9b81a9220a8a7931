/** The few DER primitives the key manager needs (lengths, TLVs); everything else uses node:crypto. */

export interface Tlv {
  tag: number;
  /** The value bytes. */
  value: Buffer;
  /** Offset just past this TLV in the input. */
  end: number;
}

export function encodeTlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Reads one definite-length TLV at `offset`; returns undefined if the input is not well-formed DER there. */
export function readTlv(input: Buffer, offset = 0): Tlv | undefined {
  if (offset + 2 > input.length) return undefined;
  const tag = input[offset]!;
  let length = input[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > input.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[start + i]!;
    // DER: the shortest length form only.
    if (length < 0x80 || input[start] === 0) return undefined;
    start += count;
  }
  const end = start + length;
  if (end > input.length) return undefined;
  return { tag, value: input.subarray(start, end), end };
}
