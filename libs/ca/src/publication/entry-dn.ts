/**
 * LDAP DNs (RFC 4514) of directory entries, after docs/DIRECTORY.md: a CA entry named by the CN, O and C of its
 * certificate's subject, end entities below their CA (meters by meter id, others by common name plus certificate serial).
 */
import type { ParsedName } from '@smpki/crypto';

/** One attribute value escaped for a DN string (RFC 4514 section 2.4). */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (character) => `\\${character}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** The attributes that place a CA in the DIT (`c=DE` / `o=SM-PKI-DE` / the CA), most specific first. */
const CA_DN_ATTRIBUTES = [
  ['CN', 'cn'],
  ['O', 'o'],
  ['C', 'c'],
] as const;

/**
 * The DN of a CA entry: `cn=<CN>,o=<O>,c=<C>` of its certificate subject. SM-PKI subjects are encoded CN first
 * and carry address attributes (street, postalCode, serialNumber): a plain RFC 4514 rendering would reverse them
 * into a path no DIT after the SM-PKI has, so only the naming attributes of the DIT are taken.
 */
export function caEntryDn(subject: ParsedName): string {
  return CA_DN_ATTRIBUTES.flatMap(([type, ldapName]) => {
    const value = subject.get(type);
    return value === undefined ? [] : [`${ldapName}=${escapeDnValue(value)}`];
  }).join(',');
}

/** The DN of an end-entity certificate below its CA's entry. */
export function endEntityDn(caDn: string, subject: { meterId?: string; commonName?: string; serial: string }): string {
  if (subject.meterId !== undefined) return `serialNumber=${escapeDnValue(subject.meterId)},${caDn}`;
  const serial = `serialNumber=${subject.serial}`;
  return subject.commonName !== undefined ? `cn=${escapeDnValue(subject.commonName)}+${serial},${caDn}` : `${serial},${caDn}`;
}
