/**
 * BIT STRINGs of named bits (KeyUsage, ReasonFlags). DER (X.690 11.2.2) drops trailing zero bits, so the
 * encoding is as short as the highest bit set; bit 0 is the most significant bit of the first octet.
 */
import { derBitString } from './der-writer';
import type { BitString } from './der-values';

export function encodeNamedBits<Name extends string>(names: readonly Name[], order: readonly Name[], what: string): Buffer {
  let highest = -1;
  const positions = names.map((name) => {
    const position = order.indexOf(name);
    if (position < 0) throw new TypeError(`unknown ${what} '${name}' (known: ${order.join(', ')})`);
    highest = Math.max(highest, position);
    return position;
  });
  if (highest < 0) return derBitString(Buffer.alloc(0));
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const position of positions) bytes[position >> 3]! |= 0x80 >> (position & 7);
  return derBitString(bytes, 7 - (highest & 7));
}

/** The names of the bits set, in `order`. Bits beyond `order` are ignored. */
export function decodeNamedBits<Name extends string>(bits: BitString, order: readonly Name[]): Name[] {
  return order.filter((_, position) => position < bits.bytes.length * 8 && (bits.bytes[position >> 3]! & (0x80 >> (position & 7))) !== 0);
}
