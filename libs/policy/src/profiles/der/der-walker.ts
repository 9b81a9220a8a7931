/**
 * A small strict DER walker for reading certificate facts quickly. @peculiar/asn1-schema takes 15-200 µs per
 * extension or name; the pre-issuance check runs for every certificate a CA issues (thousands per second), so the
 * values checks look at are read here in place instead (a few µs each).
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export interface Tlv {
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the element. */
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export function readTlv(der: Uint8Array, offset: number, limit = der.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated element at offset ${offset}`);
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`high tag number at offset ${offset}`);
  let length = der[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError(`unsupported length form at offset ${offset}`);
    if (contentStart + octets > limit) throw new DerError(`truncated length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[contentStart + i]!;
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError(`element at offset ${offset} overruns its container`);
  return { tag, start: offset, contentStart, end };
}

/** The single element `der` consists of, with the expected tag. */
export function readWhole(der: Uint8Array, tag: number): Tlv {
  const tlv = readTlv(der, 0);
  if (tlv.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
  if (tlv.end !== der.length) throw new DerError(`${der.length - tlv.end} trailing bytes`);
  return tlv;
}

export function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const result: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end);
    result.push(child);
    offset = child.end;
  }
  return result;
}

export function content(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart);
}

export function slice(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + tlv.start, tlv.end - tlv.start);
}

export function oidOf(der: Uint8Array, tlv: Tlv): string {
  if (tlv.tag !== TAG.OID) throw new DerError(`expected an OBJECT IDENTIFIER at offset ${tlv.start}`);
  const arcs: number[] = [];
  let value = 0;
  for (let offset = tlv.contentStart; offset < tlv.end; offset++) {
    const octet = der[offset]!;
    value = value * 128 + (octet & 0x7f);
    if ((octet & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if (arcs.length === 0) throw new DerError(`empty OBJECT IDENTIFIER at offset ${tlv.start}`);
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The text of a directory or IA5 string. */
export function stringOf(der: Uint8Array, tlv: Tlv): string {
  const bytes = content(der, tlv);
  switch (tlv.tag & 0x1f) {
    case TAG.UTF8_STRING:
      return bytes.toString('utf8');
    case TAG.BMP_STRING:
      return Buffer.from(bytes).swap16().toString('utf16le');
    case TAG.UNIVERSAL_STRING:
      return String.fromCodePoint(...Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readUInt32BE(i * 4)));
    default:
      return bytes.toString('latin1');
  }
}

/** The bits of a BIT STRING as an array of booleans, bit 0 first. */
export function bitsOf(der: Uint8Array, tlv: Tlv): boolean[] {
  if (tlv.tag !== TAG.BIT_STRING) throw new DerError(`expected a BIT STRING at offset ${tlv.start}`);
  const bytes = content(der, tlv);
  if (bytes.length === 0 || bytes[0]! > 7) throw new DerError('malformed BIT STRING');
  const bits: boolean[] = [];
  for (let i = 0; i < (bytes.length - 1) * 8 - bytes[0]!; i++) bits.push((bytes[1 + (i >> 3)]! & (0x80 >> (i & 7))) !== 0);
  return bits;
}

export function integerOf(der: Uint8Array, tlv: Tlv): number {
  if (tlv.tag !== TAG.INTEGER) throw new DerError(`expected an INTEGER at offset ${tlv.start}`);
  const bytes = content(der, tlv);
  if (bytes.length === 0 || bytes.length > 6) throw new DerError('INTEGER out of range');
  return bytes.readIntBE(0, bytes.length);
}
