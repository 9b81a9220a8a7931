/**
 * GeneralName (RFC 5280 4.2.1.6) as used by subjectAltName, issuerAltName, cRLDistributionPoints, authority info
 * access and CRL certificateIssuer: rfc822Name [1], dNSName [2], directoryName [4], URI [6], iPAddress [7],
 * registeredID [8]. The IA5String forms accept ASCII only (internationalised names must be converted first).
 */
import { isIP } from 'node:net';
import { CryptoInputError } from '../crypto-input-error';
import { malformed, type Tlv, iterateChildren } from '../der/der-reader';
import { contextTag } from '../der/der-tags';
import { derContext, derSequence, derTlv } from '../der/der-writer';
import { decodeOidContents, encodeOidContents } from '../der/object-identifier';
import { nameDer, parseNameAt, type NameInput, type ParsedName } from './name';

export type GeneralNameInput =
  | { email: string }
  | { uri: string }
  | { dns: string }
  | { directoryName: NameInput }
  | { ip: string }
  | { registeredId: string };

export type GeneralName =
  | { type: 'email'; value: string }
  | { type: 'dns'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'directoryName'; value: ParsedName }
  | { type: 'ip'; value: string }
  | { type: 'registeredId'; value: string }
  /** otherName, x400Address, ediPartyName: kept as their encoding. */
  | { type: 'other'; tag: number; der: Buffer };

const TAG = { email: 1, dns: 2, directoryName: 4, uri: 6, ip: 7, registeredId: 8 } as const;

const ASCII = /^[\x21-\x7e]+$/;
const DNS = /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/;

function invalid(message: string): CryptoInputError {
  return new CryptoInputError('general-name.invalid', message);
}

function ia5(kind: string, value: unknown, pattern: RegExp, expectation: string): Buffer {
  if (typeof value !== 'string' || !ASCII.test(value) || !pattern.test(value)) throw invalid(`${kind} '${String(value)}' is not ${expectation}`);
  return Buffer.from(value, 'latin1');
}

export function encodeGeneralName(name: GeneralNameInput): Buffer {
  if ('email' in name) return derContext(TAG.email, false, ia5('email', name.email, /^[^@]+@[^@]+$/, 'an ASCII mailbox (local@domain)'));
  if ('dns' in name) return derContext(TAG.dns, false, ia5('dNSName', name.dns, DNS, 'an ASCII host name'));
  if ('uri' in name) return derContext(TAG.uri, false, ia5('URI', name.uri, URI, 'an absolute ASCII URI'));
  if ('directoryName' in name) return derContext(TAG.directoryName, true, nameDer(name.directoryName));
  if ('ip' in name) return derContext(TAG.ip, false, ipAddressBytes(name.ip));
  if ('registeredId' in name) {
    try {
      return derContext(TAG.registeredId, false, encodeOidContents(name.registeredId));
    } catch {
      throw invalid(`registeredID '${name.registeredId}' is not an OID`);
    }
  }
  throw invalid(`unknown GeneralName ${JSON.stringify(name)} (use email, uri, dns, directoryName, ip or registeredId)`);
}

/** The GeneralName elements one after another (the contents of a GeneralNames SEQUENCE or of an IMPLICIT tag). */
export function generalNamesContents(names: readonly GeneralNameInput[]): Buffer {
  if (names.length === 0) throw invalid('GeneralNames needs at least one name');
  return Buffer.concat(names.map(encodeGeneralName));
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
export function encodeGeneralNames(names: readonly GeneralNameInput[]): Buffer {
  return derSequence(generalNamesContents(names));
}

/** GeneralNames under an IMPLICIT `[n]` tag (fullName, cRLIssuer, authorityCertIssuer). */
export function encodeImplicitGeneralNames(tagNumber: number, names: readonly GeneralNameInput[]): Buffer {
  return derTlv(contextTag(tagNumber, true), generalNamesContents(names));
}

function ipAddressBytes(ip: string): Buffer {
  const version = isIP(ip);
  if (version === 4) return Buffer.from(ip.split('.').map(Number));
  if (version === 6) return ipv6Bytes(ip);
  throw invalid(`'${ip}' is not an IPv4 or IPv6 address`);
}

function ipv6Bytes(ip: string): Buffer {
  let text = ip;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) becomes two hex groups.
  const v4 = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(2).map(Number) as [number, number, number, number];
    text = `${v4[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
  return bytes;
}

function ipText(bytes: Buffer, what: string): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) throw malformed(what, `iPAddress of ${bytes.length} bytes (4 or 16 expected)`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  // RFC 5952: the longest run (at least two) of zero groups becomes `::`.
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** Decodes one GeneralName element. */
export function decodeGeneralName(der: Buffer, tlv: Tlv, what: string): GeneralName {
  const contents = der.subarray(tlv.valueOffset, tlv.end);
  switch (tlv.tag) {
    case 0x81:
      return { type: 'email', value: contents.toString('latin1') };
    case 0x82:
      return { type: 'dns', value: contents.toString('latin1') };
    case 0x86:
      return { type: 'uri', value: contents.toString('latin1') };
    case 0xa4: {
      const inner = iterateChildren(der, tlv, `${what} directoryName`).next();
      if (inner.done || inner.value.end !== tlv.end) throw malformed(what, 'directoryName must hold exactly one Name');
      return { type: 'directoryName', value: parseNameAt(der, inner.value, `${what} directoryName`) };
    }
    case 0x87:
      return { type: 'ip', value: ipText(contents, what) };
    case 0x88:
      return { type: 'registeredId', value: decodeOidContents(contents, what) };
    default:
      return { type: 'other', tag: tlv.tag, der: der.subarray(tlv.offset, tlv.end) };
  }
}

/** Decodes the GeneralName elements inside `container` (a GeneralNames SEQUENCE or an IMPLICIT tag around one). */
export function decodeGeneralNames(der: Buffer, container: Tlv, what: string): GeneralName[] {
  const names = [...iterateChildren(der, container, what)].map((tlv) => decodeGeneralName(der, tlv, what));
  if (names.length === 0) throw malformed(what, 'GeneralNames is empty');
  return names;
}

/** OpenSSL-style text: `email:a@b.de`, `URI:https://...`, `DNS:host`, `DirName:CN=...`, `IP Address:1.2.3.4`. */
export function formatGeneralName(name: GeneralName): string {
  switch (name.type) {
    case 'email':
      return `email:${name.value}`;
    case 'dns':
      return `DNS:${name.value}`;
    case 'uri':
      return `URI:${name.value}`;
    case 'directoryName':
      return `DirName:${name.value.toString()}`;
    case 'ip':
      return `IP Address:${name.value}`;
    case 'registeredId':
      return `Registered ID:${name.value}`;
    default:
      return `othername:<${name.der.toString('hex')}>`;
  }
}
