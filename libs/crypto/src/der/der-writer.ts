/**
 * Small DER encoders that return Buffers. Each element is allocated once at its exact size. This is the fast path
 * for certificates: @peculiar/asn1-schema's AsnConvert.serialize costs ~1.8 ms for a TBSCertificate (it builds an
 * asn1js object tree first), these concatenations a few microseconds.
 */
import { contextTag, DerTag } from './der-tags';
import { encodeGeneralizedTime, encodeTime } from './der-time';
import { encodeOidContents } from './object-identifier';

/** Bytes the length octets of a `length`-byte contents take. */
export function lengthOctets(length: number): number {
  if (length < 0x80) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  if (length < 0x1000000) return 4;
  return 5;
}

/** Writes tag and length at `offset`; returns the offset of the contents. */
export function writeHeader(buffer: Buffer, offset: number, tag: number, length: number): number {
  buffer[offset++] = tag;
  const octets = lengthOctets(length);
  if (octets === 1) {
    buffer[offset++] = length;
    return offset;
  }
  buffer[offset++] = 0x80 | (octets - 1);
  for (let shift = (octets - 2) * 8; shift >= 0; shift -= 8) buffer[offset++] = Math.floor(length / 2 ** shift) & 0xff;
  return offset;
}

/** Encoded size of an element whose contents are `length` bytes. */
export function encodedLength(length: number): number {
  return 1 + lengthOctets(length) + length;
}

/** tag + length + the parts, concatenated. */
export function derTlv(tag: number, ...parts: Uint8Array[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const buffer = Buffer.allocUnsafe(encodedLength(length));
  let offset = writeHeader(buffer, 0, tag, length);
  for (const part of parts) {
    buffer.set(part, offset);
    offset += part.length;
  }
  return buffer;
}

export function derSequence(...parts: Uint8Array[]): Buffer {
  return derTlv(DerTag.SEQUENCE, ...parts);
}

/** SET OF: DER orders the encoded elements as octet strings (X.690 11.6). */
export function derSetOf(elements: readonly Buffer[]): Buffer {
  return elements.length === 1 ? derTlv(DerTag.SET, elements[0]!) : derTlv(DerTag.SET, ...[...elements].sort(Buffer.compare));
}

const OID_TLVS = new Map<string, Buffer>();

export function derOid(oid: string): Buffer {
  let encoded = OID_TLVS.get(oid);
  if (!encoded) {
    encoded = derTlv(DerTag.OBJECT_IDENTIFIER, encodeOidContents(oid));
    if (OID_TLVS.size < 4096) OID_TLVS.set(oid, encoded);
  }
  return encoded;
}

/** INTEGER of a non-negative value given as its unsigned big-endian magnitude. */
export function derUnsignedInteger(magnitude: Uint8Array): Buffer {
  return derTlv(DerTag.INTEGER, unsignedIntegerContents(magnitude));
}

/** INTEGER contents of an unsigned magnitude: minimal, with a 0x00 octet when the top bit is set. */
export function unsignedIntegerContents(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.length === 0 ? Buffer.of(0) : Buffer.from(magnitude.buffer, magnitude.byteOffset + start, magnitude.length - start);
  return trimmed[0]! & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
}

/** INTEGER of a non-negative number or bigint. */
export function derInteger(value: number | bigint, tag: number = DerTag.INTEGER): Buffer {
  const big = BigInt(value);
  if (big < 0n) throw new RangeError('negative INTEGER values are not used here');
  const hex = big.toString(16);
  return derTlv(tag, unsignedIntegerContents(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')));
}

export function derEnumerated(value: number): Buffer {
  return derInteger(value, DerTag.ENUMERATED);
}

const TRUE = Buffer.of(DerTag.BOOLEAN, 1, 0xff);
const FALSE = Buffer.of(DerTag.BOOLEAN, 1, 0x00);

export function derBoolean(value: boolean): Buffer {
  return value ? TRUE : FALSE;
}

export function derNull(): Buffer {
  return Buffer.of(DerTag.NULL, 0);
}

export function derOctetString(contents: Uint8Array): Buffer {
  return derTlv(DerTag.OCTET_STRING, contents);
}

/** BIT STRING of whole octets (`unusedBits` of the last octet are zero). */
export function derBitString(contents: Uint8Array, unusedBits = 0): Buffer {
  return derTlv(DerTag.BIT_STRING, Buffer.of(unusedBits), contents);
}

export function derUtf8String(value: string): Buffer {
  return derTlv(DerTag.UTF8_STRING, Buffer.from(value, 'utf8'));
}

export function derPrintableString(value: string): Buffer {
  return derTlv(DerTag.PRINTABLE_STRING, Buffer.from(value, 'latin1'));
}

export function derIa5String(value: string, tag: number = DerTag.IA5_STRING): Buffer {
  return derTlv(tag, Buffer.from(value, 'latin1'));
}

/** Time per RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
export function derTime(date: Date): Buffer {
  return encodeTime(date);
}

export function derGeneralizedTime(date: Date): Buffer {
  return encodeGeneralizedTime(date);
}

/** `[n]` with the given contents: constructed for EXPLICIT tagging and IMPLICIT SEQUENCE/SET, primitive otherwise. */
export function derContext(tagNumber: number, constructed: boolean, ...parts: Uint8Array[]): Buffer {
  return derTlv(contextTag(tagNumber, constructed), ...parts);
}

/** Re-tags an encoded element as IMPLICIT `[n]`, keeping its length and contents. */
export function derImplicit(tagNumber: number, encoded: Buffer): Buffer {
  const retagged = Buffer.from(encoded);
  retagged[0] = contextTag(tagNumber, (encoded[0]! & 0x20) !== 0);
  return retagged;
}
