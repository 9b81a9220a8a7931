/**
 * X.509 Time (RFC 5280 4.1.2.5): UTCTime `YYMMDDHHMMSSZ` for 1950-2049, GeneralizedTime `YYYYMMDDHHMMSSZ` otherwise;
 * always seconds and `Z`, never fractions. Written straight into a buffer, because a large CRL writes millions.
 */
import { CryptoInputError } from '../crypto-input-error';
import { malformed } from './der-reader';
import { DerTag } from './der-tags';

/** Encoded length (tag, length and contents) of the Time for `date`. */
export function timeEncodedLength(date: Date): number {
  return usesUtcTime(date) ? 15 : 17;
}

export function usesUtcTime(date: Date): boolean {
  const year = checkedYear(date);
  return year >= 1950 && year <= 2049;
}

function checkedYear(date: Date): number {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year) || year < 1 || year > 9999) {
    throw new CryptoInputError('validity.invalid', `date ${String(date)} cannot be encoded as an X.509 Time (years 0001 to 9999)`);
  }
  return year;
}

/** Writes the Time (header included) at `offset`; returns the offset after it. Milliseconds are dropped. */
export function writeTime(buffer: Buffer, offset: number, date: Date): number {
  const year = checkedYear(date);
  if (year >= 1950 && year <= 2049) {
    buffer[offset++] = DerTag.UTC_TIME;
    buffer[offset++] = 13;
    offset = writeDigits(buffer, offset, year % 100, 2);
  } else {
    return writeGeneralizedTime(buffer, offset, date);
  }
  return writeRest(buffer, offset, date);
}

/** GeneralizedTime whatever the year (the CRL invalidityDate extension is always GeneralizedTime). */
export function writeGeneralizedTime(buffer: Buffer, offset: number, date: Date): number {
  const year = checkedYear(date);
  buffer[offset++] = DerTag.GENERALIZED_TIME;
  buffer[offset++] = 15;
  offset = writeDigits(buffer, offset, year, 4);
  return writeRest(buffer, offset, date);
}

function writeRest(buffer: Buffer, offset: number, date: Date): number {
  offset = writeDigits(buffer, offset, date.getUTCMonth() + 1, 2);
  offset = writeDigits(buffer, offset, date.getUTCDate(), 2);
  offset = writeDigits(buffer, offset, date.getUTCHours(), 2);
  offset = writeDigits(buffer, offset, date.getUTCMinutes(), 2);
  offset = writeDigits(buffer, offset, date.getUTCSeconds(), 2);
  buffer[offset++] = 0x5a; // 'Z'
  return offset;
}

function writeDigits(buffer: Buffer, offset: number, value: number, count: number): number {
  for (let i = count - 1; i >= 0; i--) {
    buffer[offset + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
  return offset + count;
}

/** Encodes the Time for `date` as a new buffer. */
export function encodeTime(date: Date): Buffer {
  const buffer = Buffer.allocUnsafe(timeEncodedLength(date));
  writeTime(buffer, 0, date);
  return buffer;
}

export function encodeGeneralizedTime(date: Date): Buffer {
  const buffer = Buffer.allocUnsafe(17);
  writeGeneralizedTime(buffer, 0, date);
  return buffer;
}

/** The number written by `count` ASCII digits at `offset`, or -1 if one of them is not a digit. */
function readDigits(bytes: Uint8Array, offset: number, count: number): number {
  let value = 0;
  for (let i = offset; i < offset + count; i++) {
    const digit = bytes[i]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Decodes a UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) element in the RFC 5280 form: seconds,
 * `Z`, no fractions. Read from the bytes without regular expressions: a large CRL has millions of them.
 */
export function decodeTime(tag: number, contents: Uint8Array, what: string): Date {
  const text = () => Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength).toString('latin1');
  let year: number;
  let offset: number;
  if (tag === DerTag.UTC_TIME) {
    if (contents.length !== 13 || contents[12] !== 0x5a) throw malformed(what, `UTCTime '${text()}' is not YYMMDDHHMMSSZ`);
    const yy = readDigits(contents, 0, 2);
    year = yy < 0 ? -1 : yy >= 50 ? 1900 + yy : 2000 + yy;
    offset = 2;
  } else if (tag === DerTag.GENERALIZED_TIME) {
    if (contents.length !== 15 || contents[14] !== 0x5a) throw malformed(what, `GeneralizedTime '${text()}' is not YYYYMMDDHHMMSSZ`);
    year = readDigits(contents, 0, 4);
    offset = 4;
  } else {
    throw malformed(what, `expected UTCTime or GeneralizedTime, found tag 0x${tag.toString(16)}`);
  }
  const month = readDigits(contents, offset, 2);
  const day = readDigits(contents, offset + 2, 2);
  const hours = readDigits(contents, offset + 4, 2);
  const minutes = readDigits(contents, offset + 6, 2);
  const seconds = readDigits(contents, offset + 8, 2);
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  if (year < 100) date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  if (year < 0 || month < 1 || month > 12 || day < 1 || date.getUTCDate() !== day || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
    throw malformed(what, `'${text()}' is not a valid date and time`);
  }
  return date;
}
