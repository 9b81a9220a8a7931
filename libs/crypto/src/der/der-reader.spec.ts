import { CryptoInputError } from '../crypto-input-error';
import { DerSequenceReader, readTlv, readWhole } from './der-reader';
import { DerTag } from './der-tags';
import { derOctetString, derSequence, derUtf8String } from './der-writer';

function rule(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof CryptoInputError ? `${error.rule}: ${error.message}` : `other: ${String(error)}`;
  }
  return 'accepted';
}

describe('DER reader', () => {
  it('reads short and long lengths', () => {
    const short = derOctetString(Buffer.alloc(5));
    expect(readTlv(short, 0, short.length, 'x')).toEqual({ tag: 0x04, offset: 0, valueOffset: 2, end: 7 });
    const long = derOctetString(Buffer.alloc(300));
    expect(long.subarray(0, 4)).toEqual(Buffer.of(0x04, 0x82, 0x01, 0x2c));
    expect(readTlv(long, 0, long.length, 'x')).toEqual({ tag: 0x04, offset: 0, valueOffset: 4, end: 304 });
  });

  it('refuses what DER forbids, naming the field', () => {
    expect(rule(() => readTlv(Buffer.of(0x30, 0x80, 0, 0), 0, 4, 'Certificate'))).toBe('der.malformed: Certificate: indefinite length is not DER');
    expect(rule(() => readTlv(Buffer.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5), 0, 8, 'x'))).toMatch(/not minimally encoded/);
    expect(rule(() => readTlv(Buffer.of(0x04, 0x82, 0x00, 0x85), 0, 4, 'x'))).toMatch(/not minimally encoded/);
    expect(rule(() => readTlv(Buffer.of(0x04, 0x05, 1, 2), 0, 4, 'x'))).toMatch(/truncated \(needs 3 more bytes\)/);
    expect(rule(() => readTlv(Buffer.of(0x1f, 0x81, 0x00), 0, 3, 'x'))).toMatch(/high-tag-number/);
    expect(rule(() => readTlv(Buffer.of(0x04, 0x85, 1, 1, 1, 1, 1), 0, 7, 'x'))).toMatch(/length of 5 octets/);
    expect(rule(() => readTlv(Buffer.alloc(0), 0, 0, 'tbs'))).toBe('der.malformed: tbs: missing (the encoding ends here)');
    expect(rule(() => readWhole(Buffer.concat([derSequence(), Buffer.of(0)]), DerTag.SEQUENCE, 'x'))).toMatch(/1 trailing bytes/);
    expect(rule(() => readWhole(derOctetString(Buffer.of(1)), DerTag.SEQUENCE, 'Name'))).toMatch(/Name: expected tag 0x30, found 0x04/);
  });

  it('walks a SEQUENCE field by field with optional fields', () => {
    const der = derSequence(derUtf8String('a'), derOctetString(Buffer.of(1)));
    const reader = new DerSequenceReader(der, readWhole(der, DerTag.SEQUENCE, 's'), 's');
    expect(reader.optional(DerTag.BOOLEAN, 'flag')).toBeUndefined();
    expect(reader.next(DerTag.UTF8_STRING, 'text').valueOffset).toBe(4);
    expect(rule(() => reader.end())).toMatch(/unexpected element with tag 0x04/);
    expect(reader.next(DerTag.OCTET_STRING, 'bytes').end).toBe(der.length);
    expect(() => reader.end()).not.toThrow();
    expect(rule(() => reader.next(DerTag.NULL, 'more'))).toBe('der.malformed: s more: missing (the encoding ends here)');
  });
});
