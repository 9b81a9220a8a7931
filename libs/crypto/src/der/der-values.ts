/** Decoders for the primitive values X.509 uses, strict about DER where a signature depends on it. */
import { malformed } from './der-reader';
import { DerTag } from './der-tags';

/** The unsigned magnitude of a non-negative INTEGER (minimal, without the 0x00 sign octet). */
export function decodeUnsignedInteger(contents: Buffer, what: string): Buffer {
  if (contents.length === 0) throw malformed(what, 'empty INTEGER');
  if (contents.length > 1 && ((contents[0] === 0 && !(contents[1]! & 0x80)) || (contents[0] === 0xff && contents[1]! & 0x80))) {
    throw malformed(what, 'INTEGER is not minimally encoded');
  }
  if (contents[0]! & 0x80) throw malformed(what, 'INTEGER is negative');
  return contents[0] === 0 && contents.length > 1 ? contents.subarray(1) : contents;
}

/** A small non-negative INTEGER or ENUMERATED as a number. */
export function decodeSmallInteger(contents: Buffer, what: string): number {
  const magnitude = decodeUnsignedInteger(contents, what);
  if (magnitude.length > 6) throw malformed(what, 'INTEGER is too large');
  return magnitude.readUIntBE(0, magnitude.length);
}

export function decodeBigInteger(contents: Buffer, what: string): bigint {
  const magnitude = decodeUnsignedInteger(contents, what);
  return BigInt(`0x${magnitude.toString('hex')}`);
}

export function decodeBoolean(contents: Buffer, what: string): boolean {
  if (contents.length !== 1) throw malformed(what, 'BOOLEAN must be one octet');
  if (contents[0] === 0xff) return true;
  if (contents[0] === 0x00) return false;
  throw malformed(what, 'BOOLEAN TRUE must be 0xFF in DER');
}

export interface BitString {
  unusedBits: number;
  bytes: Buffer;
}

export function decodeBitString(contents: Buffer, what: string): BitString {
  if (contents.length === 0) throw malformed(what, 'BIT STRING has no unused-bits octet');
  const unusedBits = contents[0]!;
  if (unusedBits > 7 || (contents.length === 1 && unusedBits !== 0)) throw malformed(what, 'BIT STRING unused-bits octet out of range');
  return { unusedBits, bytes: contents.subarray(1) };
}

export type DirectoryStringType = 'utf8' | 'printable' | 'ia5' | 'teletex' | 'bmp' | 'universal';

const STRING_TYPES: Record<number, DirectoryStringType> = {
  [DerTag.UTF8_STRING]: 'utf8',
  [DerTag.PRINTABLE_STRING]: 'printable',
  [DerTag.IA5_STRING]: 'ia5',
  [DerTag.TELETEX_STRING]: 'teletex',
  [DerTag.BMP_STRING]: 'bmp',
  [DerTag.UNIVERSAL_STRING]: 'universal',
};

export function stringTypeOfTag(tag: number): DirectoryStringType | undefined {
  return STRING_TYPES[tag];
}

/** The text of a string element. TeletexString is read as Latin-1, as OpenSSL does. */
export function decodeString(tag: number, contents: Buffer, what: string): { type: DirectoryStringType; value: string } {
  const type = stringTypeOfTag(tag);
  switch (type) {
    case 'utf8':
      return { type, value: contents.toString('utf8') };
    case 'printable':
    case 'ia5':
    case 'teletex':
      return { type, value: contents.toString('latin1') };
    case 'bmp':
      if (contents.length % 2) throw malformed(what, 'BMPString of odd length');
      return { type, value: Buffer.from(contents).swap16().toString('utf16le') };
    case 'universal': {
      if (contents.length % 4) throw malformed(what, 'UniversalString length not a multiple of 4');
      const codePoints: number[] = [];
      for (let i = 0; i < contents.length; i += 4) codePoints.push(contents.readUInt32BE(i));
      return { type, value: String.fromCodePoint(...codePoints) };
    }
    default:
      throw malformed(what, `expected a string, found tag 0x${tag.toString(16)}`);
  }
}
