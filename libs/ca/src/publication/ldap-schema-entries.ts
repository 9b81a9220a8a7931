/**
 * How directory entries look in an external OpenLDAP server, with the stock core + cosine schema only (so an
 * unmodified slapd accepts them): `c=DE` a `country`, `o=...` an `organization`, a CA an `applicationProcess` with
 * the auxiliary `pkiCA` and `deltaCRL` classes (cACertificate, certificateRevocationList, deltaRevocationList), an
 * end entity or meter a `device` with the auxiliary `pkiUser` (cn, serialNumber, userCertificate). Certificate and
 * CRL attributes carry the `;binary` transfer option, as RFC 4523 requires.
 */
import type { DirectoryEntry } from './directory-entry';

export type LdapAttributes = Record<string, string | Buffer | Array<string | Buffer>>;

/** One level of a DN: the DN itself and its RDN's attribute values (`cn=a+serialNumber=b` has two). */
export interface DnLevel {
  dn: string;
  rdn: Record<string, string>;
}

/** Splits at every unescaped `separator` (RFC 4514: `\\` escapes the next character or starts a hex pair). */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '\\') {
      current += character + (text[index + 1] ?? '');
      index += 1;
    } else if (character === separator) {
      parts.push(current);
      current = '';
    } else current += character;
  }
  parts.push(current);
  return parts;
}

/** An attribute value with its RFC 4514 escapes (`\\,` and `\\2c`) resolved. */
function unescapeDnValue(value: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < value.length; index++) {
    const hex = value.slice(index + 1, index + 3);
    if (value[index] === '\\' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else if (value[index] === '\\') {
      bytes.push(...Buffer.from(value[index + 1] ?? ''));
      index += 1;
    } else bytes.push(...Buffer.from(value[index]!));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The levels of `dn`, the top one first (`c=DE`, then `o=...,c=DE`, ...). Parsed here rather than with ldapjs's
 * DN parser, which re-escapes `+` in values wrongly; the DNs come from entry-dn.ts, so RFC 4514 string form.
 */
export function dnLevels(dn: string): DnLevel[] {
  const rdns = splitUnescaped(dn, ',').map((rdn) => rdn.trim());
  return rdns
    .map((_, index) => {
      const values = splitUnescaped(rdns[index]!, '+').map((assertion) => {
        const equals = assertion.indexOf('=');
        if (equals <= 0) throw new Error(`not an RFC 4514 DN: ${dn}`);
        return [assertion.slice(0, equals).trim().toLowerCase(), unescapeDnValue(assertion.slice(equals + 1))] as const;
      });
      return { dn: rdns.slice(index).join(','), rdn: Object.fromEntries(values) };
    })
    .reverse();
}

export const CA_OBJECT_CLASSES = ['top', 'applicationProcess', 'pkiCA', 'deltaCRL'];
const END_ENTITY_OBJECT_CLASSES = ['top', 'device', 'pkiUser'];

/** The attributes of an entry above the published ones: country, organization, organizational unit or CA. */
export function containerAttributes(level: DnLevel): LdapAttributes {
  const [name, value] = Object.entries(level.rdn)[0] ?? [];
  if (name === 'c' && value !== undefined) return { objectClass: ['top', 'country'], c: value };
  if (name === 'o' && value !== undefined) return { objectClass: ['top', 'organization'], o: value };
  if (name === 'ou' && value !== undefined) return { objectClass: ['top', 'organizationalUnit'], ou: value };
  if (name === 'cn' && value !== undefined) return { objectClass: CA_OBJECT_CLASSES, cn: value };
  throw new Error(`no standard object class for the entry ${level.dn}`);
}

/** The attribute a CRL of this kind replaces on its CA's entry. */
export function crlAttribute(kind: 'crl' | 'delta-crl'): string {
  return kind === 'crl' ? 'certificateRevocationList;binary' : 'deltaRevocationList;binary';
}

/** A CA's own entry (its certificate). */
export function caAttributes(entry: Extract<DirectoryEntry, { kind: 'ca' }>, level: DnLevel): { all: LdapAttributes; replaced: Record<string, Buffer> } {
  const replaced = { 'cACertificate;binary': Buffer.from(entry.certificate, 'base64') };
  return { all: { ...containerAttributes(level), ...replaced }, replaced };
}

/**
 * An end entity's entry. `serialNumber` is the meter id for meters and the certificate serial otherwise, `cn` the
 * subject's common name or, without one, the serialNumber (device requires a cn): both then match the RDN that
 * entry-dn.ts gave the entry.
 */
export function endEntityAttributes(entry: Extract<DirectoryEntry, { kind: 'certificate' }>): { all: LdapAttributes; replaced: Record<string, Buffer> } {
  const serialNumber = entry.meterId ?? entry.serial;
  const replaced = { 'userCertificate;binary': Buffer.from(entry.certificate, 'base64') };
  return { all: { objectClass: END_ENTITY_OBJECT_CLASSES, cn: entry.commonName ?? serialNumber, serialNumber, ...replaced }, replaced };
}
