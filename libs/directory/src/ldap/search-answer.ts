/**
 * The BER of search answers (RFC 4511 4.5.2), written here rather than through ldapjs's message objects: building a
 * SearchResultEntry object per row (DN re-parsed, attributes wrapped, BerWriter growing its buffer) cost more CPU
 * than the database read. Lengths are in their shortest form, as ldapjs writes them, so the bytes are the same.
 */
import { BerTag } from './ber-tags';

/** An attribute of an answered entry: its name (a UTF-8 string) and values as they go on the wire. */
export interface AnswerAttribute {
  name: string;
  values: readonly Buffer[];
}


/** Bytes of a definite length (short form below 128, else 0x8n and n big-endian bytes). */
function lengthSize(length: number): number {
  if (length < 0x80) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  if (length < 0x1000000) return 4;
  return 5;
}

/** A whole TLV's size for content of `length` bytes (one-byte tags only). */
const tlvSize = (length: number) => 1 + lengthSize(length) + length;

function writeHeader(target: Buffer, offset: number, tag: number, length: number): number {
  target[offset++] = tag;
  const size = lengthSize(length);
  if (size === 1) {
    target[offset++] = length;
    return offset;
  }
  target[offset++] = 0x80 | (size - 1);
  for (let shift = 8 * (size - 2); shift >= 0; shift -= 8) target[offset++] = (length >>> shift) & 0xff;
  return offset;
}

/** Content bytes of a non-negative INTEGER in its shortest two's-complement form (message ids are 0..2^31-1). */
function integerSize(value: number): number {
  let size = 1;
  while (size < 5 && (value >= 2 ** (8 * size - 1))) size++;
  return size;
}

function writeInteger(target: Buffer, offset: number, tag: number, value: number): number {
  const size = integerSize(value);
  offset = writeHeader(target, offset, tag, size);
  for (let index = size - 1; index >= 0; index--) target[offset++] = Math.floor(value / 2 ** (8 * index)) & 0xff;
  return offset;
}

/** Attribute names are few: their OCTET STRING bytes are made once. */
const NAME_BYTES = new Map<string, Buffer>();

function nameBytes(name: string): Buffer {
  let bytes = NAME_BYTES.get(name);
  if (!bytes) {
    bytes = Buffer.from(name, 'utf8');
    if (NAME_BYTES.size < 256) NAME_BYTES.set(name, bytes);
  }
  return bytes;
}

/** One LDAPMessage carrying a SearchResultEntry: `dn` as it goes out, attributes in the given order. */
export function searchResultEntry(messageId: number, dn: string, attributes: readonly AnswerAttribute[]): Buffer {
  const dnBytes = Buffer.from(dn, 'utf8');
  const names: Buffer[] = [];
  const setSizes: number[] = [];
  let listLength = 0;
  for (const attribute of attributes) {
    const name = nameBytes(attribute.name);
    let setLength = 0;
    for (const value of attribute.values) setLength += tlvSize(value.length);
    names.push(name);
    setSizes.push(setLength);
    listLength += tlvSize(tlvSize(name.length) + tlvSize(setLength));
  }
  const opLength = tlvSize(dnBytes.length) + tlvSize(listLength);
  const messageLength = tlvSize(integerSize(messageId)) + tlvSize(opLength);
  const out = Buffer.allocUnsafe(tlvSize(messageLength));
  let offset = writeHeader(out, 0, BerTag.sequence, messageLength);
  offset = writeInteger(out, offset, BerTag.integer, messageId);
  offset = writeHeader(out, offset, BerTag.searchResultEntry, opLength);
  offset = writeHeader(out, offset, BerTag.octetString, dnBytes.length);
  offset += dnBytes.copy(out, offset);
  offset = writeHeader(out, offset, BerTag.sequence, listLength);
  attributes.forEach((attribute, index) => {
    const name = names[index]!;
    const setLength = setSizes[index]!;
    offset = writeHeader(out, offset, BerTag.sequence, tlvSize(name.length) + tlvSize(setLength));
    offset = writeHeader(out, offset, BerTag.octetString, name.length);
    offset += name.copy(out, offset);
    offset = writeHeader(out, offset, BerTag.set, setLength);
    for (const value of attribute.values) {
      offset = writeHeader(out, offset, BerTag.octetString, value.length);
      offset += value.copy(out, offset);
    }
  });
  return out;
}

/** One LDAPMessage carrying a SearchResultDone without referrals or controls. */
export function searchResultDone(messageId: number, resultCode = 0, matchedDn = '', diagnosticMessage = ''): Buffer {
  const matched = Buffer.from(matchedDn, 'utf8');
  const message = Buffer.from(diagnosticMessage, 'utf8');
  const opLength = tlvSize(integerSize(resultCode)) + tlvSize(matched.length) + tlvSize(message.length);
  const messageLength = tlvSize(integerSize(messageId)) + tlvSize(opLength);
  const out = Buffer.allocUnsafe(tlvSize(messageLength));
  let offset = writeHeader(out, 0, BerTag.sequence, messageLength);
  offset = writeInteger(out, offset, BerTag.integer, messageId);
  offset = writeHeader(out, offset, BerTag.searchResultDone, opLength);
  offset = writeInteger(out, offset, BerTag.enumerated, resultCode);
  offset = writeHeader(out, offset, BerTag.octetString, matched.length);
  offset += matched.copy(out, offset);
  offset = writeHeader(out, offset, BerTag.octetString, message.length);
  message.copy(out, offset);
  return out;
}

/**
 * The answer to one search, written to the connection in one piece: the entries collected, then the
 * SearchResultDone (one system call per search; writes are a large share of a search's CPU).
 */
export class SearchAnswer {
  private pending: Buffer[] = [];

  constructor(
    readonly messageId: number,
    private readonly connection: { write(data: Buffer): unknown },
  ) {}

  entry(dn: string, attributes: readonly AnswerAttribute[]): void {
    this.pending.push(searchResultEntry(this.messageId, dn, attributes));
  }

  /** Writes the entries collected so far (before a SearchResultDone that ldapjs writes: errors, paged results). */
  flush(): void {
    if (this.pending.length === 0) return;
    this.connection.write(this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending));
    this.pending = [];
  }

  /** Writes the entries and a successful SearchResultDone (or the one given, encoded with its controls). */
  done(resultDone: Buffer = searchResultDone(this.messageId)): void {
    this.pending.push(resultDone);
    this.flush();
  }

  /** Writes the entries and a SearchResultDone with an error's result code and message. */
  failed(resultCode: number, diagnosticMessage: string): void {
    this.done(searchResultDone(this.messageId, resultCode, '', diagnosticMessage));
  }
}
