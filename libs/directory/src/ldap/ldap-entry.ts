import { createHash } from 'node:crypto';
import type { DirectoryRow } from '../directory-store';
import { parseDirectoryDn } from '../distinguished-name';
import type { AnswerAttribute } from './search-answer';

/** One entry as the LDAP front end serves it: text attributes (matched by filters) and binary ones (`;binary`). */
export interface LdapEntry {
  dn: string;
  dnKey: string;
  text: Record<string, string[]>;
  binary: Record<string, Buffer>;
}

/** The LDAP view of a stored entry: SM-PKI object classes with the standard certificate attributes. */
export function ldapEntryOf(entry: DirectoryRow): LdapEntry {
  const text: Record<string, string[]> = {};
  const binary: Record<string, Buffer> = {};
  // The columns hold the naming attributes (the store fills them from the DN when the publisher did not).
  if (entry.kind === 'ca') {
    text.objectClass = ['top', 'applicationProcess', 'pkiCA', 'certificationAuthority'];
    if (entry.commonName) text.cn = [entry.commonName];
    if (entry.certificate) binary['cACertificate;binary'] = entry.certificate;
    if (entry.crl) {
      binary['certificateRevocationList;binary'] = entry.crl;
      // Sub-CAs revoke no CAs: an empty ARL is their CRL, which is what certificationAuthority clients expect.
      binary['authorityRevocationList;binary'] = entry.crl;
    }
    if (entry.deltaCrl) binary['deltaRevocationList;binary'] = entry.deltaCrl;
  } else {
    text.objectClass = ['top', 'device', 'pkiUser'];
    if (entry.commonName) text.cn = [entry.commonName];
    if (entry.meterId) text.serialNumber = [entry.meterId];
    if (entry.serial) text.smpkiCertificateSerial = [entry.serial];
    text.smpkiCertificateFingerprint = [entry.fingerprint ?? (entry.certificate ? createHash('sha256').update(entry.certificate).digest('hex') : '')];
    text.smpkiRevoked = [entry.revoked ? 'TRUE' : 'FALSE'];
    if (entry.certificate) binary['userCertificate;binary'] = entry.certificate;
  }
  return { dn: entry.dn, dnKey: entry.dnKey, text, binary };
}

/** A container entry above the CAs (`c=DE`, `o=SM-PKI-DE`) that nobody publishes but every DIT has. */
export function containerEntry(dn: string, key: string): LdapEntry {
  const rdn = parseDirectoryDn(dn).toString().split(',')[0] ?? '';
  const [type = '', ...rest] = rdn.split('=');
  const value = rest.join('=');
  const attribute = type.toLowerCase();
  if (attribute === 'c') return { dn, dnKey: key, text: { objectClass: ['top', 'country'], c: [value] }, binary: {} };
  if (attribute === 'o') return { dn, dnKey: key, text: { objectClass: ['top', 'organization'], o: [value] }, binary: {} };
  return { dn, dnKey: key, text: { objectClass: ['top', 'organizationalUnit'], ou: [value] }, binary: {} };
}

/** Which attributes of an entry a search returns (see `attributeSelection`). */
export type AttributeSelection = (name: string) => boolean;

/**
 * The attributes a search asked for: none or `*` means all user attributes; names compare case-insensitively and
 * `userCertificate` and `userCertificate;binary` are the same attribute (RFC 4523 transfers certificates as binary).
 * Made once per search.
 */
export function attributeSelection(requested: readonly string[]): AttributeSelection {
  const wanted = new Set(requested.map(plainName));
  if (wanted.size === 0 || wanted.has('*')) return () => true;
  // `1.1` alone: no attributes (RFC 4511 4.5.1.8).
  if (wanted.size === 1 && wanted.has('1.1')) return () => false;
  return (name) => wanted.has(plainName(name));
}

/** Plain names by name: the entries' attribute names are few and every answer compares each of them. */
const PLAIN_NAMES = new Map<string, string>();

function plainName(name: string): string {
  let plain = PLAIN_NAMES.get(name);
  if (plain === undefined) {
    plain = name.toLowerCase().replace(/;binary$/, '');
    // Requested names come from clients: only so many are remembered.
    if (PLAIN_NAMES.size < 256) PLAIN_NAMES.set(name, plain);
  }
  return plain;
}

export function selectAttributes(entry: LdapEntry, requested: readonly string[]): Record<string, string[] | Buffer[]> {
  const selected: Record<string, string[] | Buffer[]> = {};
  for (const { name, values } of entryAttributes(entry, attributeSelection(requested))) selected[name] = values;
  return selected;
}

/** The selected attributes of an entry in the order they are answered: text attributes, then binary ones. */
function entryAttributes(entry: LdapEntry, selected: AttributeSelection): Array<{ name: string; values: string[] | Buffer[] }> {
  const attributes: Array<{ name: string; values: string[] | Buffer[] }> = [];
  for (const name in entry.text) if (selected(name)) attributes.push({ name, values: entry.text[name]! });
  for (const name in entry.binary) if (selected(name)) attributes.push({ name, values: [entry.binary[name]!] });
  return attributes;
}

/** The selected attributes as they go on the wire (text values UTF-8). */
export function answerAttributes(entry: LdapEntry, selected: AttributeSelection): AnswerAttribute[] {
  return entryAttributes(entry, selected).map(({ name, values }) => ({
    name,
    values: values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value)),
  }));
}
