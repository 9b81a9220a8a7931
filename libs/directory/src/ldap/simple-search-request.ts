import * as ldapjs from 'ldapjs';
import type { LdapFilter } from './search-filter';
import { BerTag } from './ber-tags';

/**
 * The common search shapes read straight from their BER: ldapjs parses a SearchRequest, renders its filter as a
 * string, parses that string again and parses the base DN into objects, a visible share of a search's CPU. A
 * request is read here only when it is plainly one of those shapes (no controls, `typesOnly` false, a base DN and
 * filter value of letters, digits, `.`, `_`, `-`, an equality or presence filter on a plain attribute name): for
 * these, ldapjs's canonical DN string and filter value are the bytes as sent, so the result is the request ldapjs
 * would hand over. Anything else, including every malformed message, returns undefined and goes to ldapjs.
 */

// ldapjs 3 exports its filter classes; the typings (written for ldapjs 2) know other constructors.
const { EqualityFilter, PresenceFilter } = ldapjs as unknown as {
  EqualityFilter: new (options: { attribute: string; value: string }) => LdapFilter;
  PresenceFilter: new (options: { attribute: string }) => LdapFilter;
};

/** A search request as the LDAP server reads it (the fields of ldapjs 3's SearchRequest it uses). */
export interface SimpleSearchRequest {
  messageId: number;
  protocolOp: number;
  dn: { toString(): string };
  scope: number;
  sizeLimit: number;
  timeLimit: number;
  attributes: string[];
  filter: LdapFilter;
}


const PLAIN_DN = /^(?:[A-Za-z][A-Za-z0-9-]*=[A-Za-z0-9._-]+(?:,[A-Za-z][A-Za-z0-9-]*=[A-Za-z0-9._-]+)*)?$/;
const PLAIN_ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]*$/;
const PLAIN_VALUE = /^[A-Za-z0-9._-]+$/;
/** Requested attribute names: plain names, options (`;binary`), `*`, `1.1`. */
const PLAIN_SELECTION = /^(?:[A-Za-z][A-Za-z0-9;-]*|\*|1\.1)$/;

/** A TLV read from `buffer`: its tag, where its content starts and ends. */
interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** The TLV at `offset` if it is complete before `limit` and its length definite (at most 4 length bytes). */
function readTlv(buffer: Buffer, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = buffer[offset]!;
  let length = buffer[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const size = length & 0x7f;
    if (size === 0 || size > 4 || start + size > limit) return undefined;
    length = 0;
    for (let index = 0; index < size; index++) length = length * 256 + buffer[start + index]!;
    start += size;
  }
  const end = start + length;
  return end <= limit ? { tag, start, end } : undefined;
}

/** A non-negative INTEGER or ENUMERATED of at most 4 content bytes. */
function readSmallInteger(buffer: Buffer, tlv: Tlv | undefined, tag: number): number | undefined {
  if (!tlv || tlv.tag !== tag || tlv.end - tlv.start < 1 || tlv.end - tlv.start > 4 || buffer[tlv.start]! & 0x80) return undefined;
  let value = 0;
  for (let index = tlv.start; index < tlv.end; index++) value = value * 256 + buffer[index]!;
  return value;
}

function readAscii(buffer: Buffer, tlv: Tlv | undefined, pattern: RegExp): string | undefined {
  if (!tlv || tlv.tag !== BerTag.octetString) return undefined;
  const text = buffer.toString('latin1', tlv.start, tlv.end);
  return pattern.test(text) ? text : undefined;
}

/**
 * Where the LDAPMessage starting at `offset` ends, if it is complete in `buffer` (else undefined: ldapjs waits for
 * the rest of it).
 */
export function messageEnd(buffer: Buffer, offset: number): number | undefined {
  const message = readTlv(buffer, offset, buffer.length);
  return message && message.tag === BerTag.sequence ? message.end : undefined;
}

/** The search request the LDAPMessage in `buffer[offset, end)` is, if it has one of the common shapes. */
export function readSimpleSearch(buffer: Buffer, offset: number, end: number): SimpleSearchRequest | undefined {
  const message = readTlv(buffer, offset, end);
  if (!message || message.tag !== BerTag.sequence || message.end !== end) return undefined;
  const id = readTlv(buffer, message.start, end);
  const messageId = readSmallInteger(buffer, id, BerTag.integer);
  if (messageId === undefined) return undefined;
  const op = readTlv(buffer, id!.end, end);
  // No controls: the protocolOp is the end of the message.
  if (!op || op.tag !== BerTag.searchRequest || op.end !== end) return undefined;
  const baseTlv = readTlv(buffer, op.start, op.end);
  const base = readAscii(buffer, baseTlv, PLAIN_DN);
  if (base === undefined) return undefined;
  const scopeTlv = readTlv(buffer, baseTlv!.end, op.end);
  const scope = readSmallInteger(buffer, scopeTlv, BerTag.enumerated);
  if (scope === undefined || scope > 2) return undefined;
  const derefTlv = readTlv(buffer, scopeTlv!.end, op.end);
  const deref = readSmallInteger(buffer, derefTlv, BerTag.enumerated);
  if (deref === undefined || deref > 3) return undefined;
  const sizeTlv = readTlv(buffer, derefTlv!.end, op.end);
  const sizeLimit = readSmallInteger(buffer, sizeTlv, BerTag.integer);
  const timeTlv = sizeLimit === undefined ? undefined : readTlv(buffer, sizeTlv!.end, op.end);
  const timeLimit = readSmallInteger(buffer, timeTlv, BerTag.integer);
  if (sizeLimit === undefined || timeLimit === undefined) return undefined;
  const typesOnly = readTlv(buffer, timeTlv!.end, op.end);
  if (!typesOnly || typesOnly.tag !== BerTag.boolean || typesOnly.end - typesOnly.start !== 1 || buffer[typesOnly.start] !== 0) return undefined;
  const filterTlv = readTlv(buffer, typesOnly.end, op.end);
  const filter = filterTlv && readFilter(buffer, filterTlv);
  if (!filter) return undefined;
  const attributes = readSelection(buffer, readTlv(buffer, filterTlv!.end, op.end), op.end);
  if (!attributes) return undefined;
  return { messageId, protocolOp: BerTag.searchRequest, dn: { toString: () => base }, scope, sizeLimit, timeLimit, attributes, filter };
}

/** `(attribute=value)` or `(attribute=*)` with a plain attribute name (and value). */
function readFilter(buffer: Buffer, filter: Tlv): LdapFilter | undefined {
  if (filter.tag === BerTag.filterPresent) {
    const attribute = buffer.toString('latin1', filter.start, filter.end);
    return PLAIN_ATTRIBUTE.test(attribute) ? new PresenceFilter({ attribute }) : undefined;
  }
  if (filter.tag !== BerTag.filterEquality) return undefined;
  const attributeTlv = readTlv(buffer, filter.start, filter.end);
  const attribute = readAscii(buffer, attributeTlv, PLAIN_ATTRIBUTE);
  if (attribute === undefined) return undefined;
  const valueTlv = readTlv(buffer, attributeTlv!.end, filter.end);
  const value = readAscii(buffer, valueTlv, PLAIN_VALUE);
  if (value === undefined || valueTlv!.end !== filter.end) return undefined;
  return new EqualityFilter({ attribute, value });
}

/** The requested attribute names: a SEQUENCE OF OCTET STRING ending the request. */
function readSelection(buffer: Buffer, selection: Tlv | undefined, end: number): string[] | undefined {
  if (!selection || selection.tag !== BerTag.sequence || selection.end !== end) return undefined;
  const names: string[] = [];
  for (let offset = selection.start; offset < selection.end; ) {
    const nameTlv = readTlv(buffer, offset, selection.end);
    const name = readAscii(buffer, nameTlv, PLAIN_SELECTION);
    if (name === undefined) return undefined;
    names.push(name);
    offset = nameTlv!.end;
  }
  return names;
}
