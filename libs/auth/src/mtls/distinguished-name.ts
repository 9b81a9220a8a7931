import type { Name } from '@peculiar/asn1-x509';

/**
 * Distinguished names in the RFC 4514 string form operators read and write (`CN=gw-admin-1,O=ACME,C=DE`: most
 * specific RDN first), and a comparison key for matching a configured DN against a certificate's subject
 * (attribute types by short name, values case-insensitive as X.520 caseIgnoreMatch, multi-valued RDNs unordered).
 */
export interface DnAttribute {
  /** Short name (`CN`, `O`, `serialNumber`, ...) or dotted OID. */
  readonly type: string;
  /** The string value, or `#` + hex of the BER encoding for a non-string value. */
  readonly value: string;
}

export type Rdn = readonly DnAttribute[];

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};
const TYPE_BY_LOWERCASE_NAME = new Map(Object.values(SHORT_NAMES).map((name) => [name.toLowerCase(), name]));
const OID = /^\d+(?:\.\d+)+$/;

/** The RDNs of an ASN.1 Name in RFC 4514 order (the reverse of the encoded sequence). */
export function rdnsOf(name: Name): Rdn[] {
  return [...name]
    .reverse()
    .map((rdn) => [...rdn].map((attribute) => ({ type: SHORT_NAMES[attribute.type] ?? attribute.type, value: attributeValue(attribute.value) })));
}

export function formatDn(rdns: readonly Rdn[]): string {
  return rdns.map((rdn) => rdn.map((attribute) => `${attribute.type}=${escapeValue(attribute.value)}`).join('+')).join(',');
}

export function dnKey(rdns: readonly Rdn[]): string {
  return rdns
    .map((rdn) =>
      rdn
        .map((attribute) => `${attribute.type.toLowerCase()}=${escapeValue(attribute.value.normalize('NFC').toLowerCase())}`)
        .sort()
        .join('+'),
    )
    .join(',');
}

/** Parses an RFC 4514 string; throws naming the problem. */
export function parseDn(text: string): Rdn[] {
  const rdns: Rdn[] = [];
  let rdn: DnAttribute[] = [];
  let position = 0;
  while (position < text.length) {
    const equals = text.indexOf('=', position);
    if (equals < 0) throw new Error(`distinguished name "${text}": missing "=" after "${text.slice(position)}"`);
    const type = canonicalType(text.slice(position, equals).trim(), text);
    const { value, end } = readValue(text, equals + 1);
    rdn.push({ type, value });
    position = end + 1;
    if (end >= text.length || text[end] === ',') {
      rdns.push(rdn);
      rdn = [];
    }
  }
  if (rdns.length === 0) throw new Error('distinguished name is empty');
  return rdns;
}

function canonicalType(type: string, text: string): string {
  const known = TYPE_BY_LOWERCASE_NAME.get(type.toLowerCase());
  if (known) return known;
  if (OID.test(type)) return SHORT_NAMES[type] ?? type;
  throw new Error(`distinguished name "${text}": unknown attribute type "${type}" (use a dotted OID)`);
}

/** Reads an escaped value up to the next unescaped `,` or `+`; returns the index of that separator (or the end). */
function readValue(text: string, start: number): { value: string; end: number } {
  const bytes: number[] = [];
  // Unescaped trailing spaces are not part of the value; escaped ones (`\ `) are.
  let significant = 0;
  let position = start;
  while (position < text.length && text[position] === ' ') position++;
  for (; position < text.length && text[position] !== ',' && text[position] !== '+'; position++) {
    const char = text[position]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      if (char !== ' ') significant = bytes.length;
      continue;
    }
    const next = text.slice(position + 1, position + 3);
    if (/^[0-9a-fA-F]{2}$/.test(next)) {
      bytes.push(parseInt(next, 16));
      position += 2;
    } else if (position + 1 < text.length) {
      bytes.push(...Buffer.from(text[position + 1]!, 'utf8'));
      position += 1;
    } else {
      throw new Error(`distinguished name "${text}": dangling "\\" at the end`);
    }
    significant = bytes.length;
  }
  return { value: Buffer.from(bytes.slice(0, significant)).toString('utf8'), end: position };
}

function attributeValue(value: Name[number][number]['value']): string {
  if (value.anyValue) return `#${Buffer.from(value.anyValue).toString('hex')}`;
  return value.toString();
}

function escapeValue(value: string): string {
  if (value.startsWith('#') && /^#(?:[0-9a-f]{2})+$/i.test(value)) return value;
  return value
    .replace(/[\\"+,;<>]/g, (char) => `\\${char}`)
    .replace(/\0/g, '\\00')
    .replace(/^[ #]/, (char) => `\\${char}`)
    .replace(/ $/, '\\ ');
}
