/**
 * Whether two distinguished names name the same entity, after RFC 5280 section 7.1: same RDNs in the same order,
 * each with the same attribute types, values compared after case folding and collapsing of insignificant spaces
 * (a simplified RFC 4518 preparation). So a renewal whose client encoded `CN` as UTF8String instead of
 * PrintableString, or wrote `de` for `DE`, still names the same subject; a different value or an extra RDN does not.
 */
import type { ParsedName, ParsedNameAttribute } from './name';

export function namesMatch(a: ParsedName, b: ParsedName): boolean {
  if (a.der.equals(b.der)) return true;
  if (a.rdns.length !== b.rdns.length) return false;
  return a.rdns.every((rdn, index) => rdnsMatch(rdn, b.rdns[index]!));
}

/** A multi-valued RDN is a SET: its attributes match in any order. */
function rdnsMatch(a: readonly ParsedNameAttribute[], b: readonly ParsedNameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  const keys = (rdn: readonly ParsedNameAttribute[]) => rdn.map(attributeKey).sort();
  const left = keys(a);
  const right = keys(b);
  return left.every((key, index) => key === right[index]);
}

function attributeKey(attribute: ParsedNameAttribute): string {
  // Values that are not strings (`#hex`) compare as encoded.
  const value = attribute.encoding === undefined ? attribute.value : preparedString(attribute.value);
  return `${attribute.oid}=${value}`;
}

function preparedString(value: string): string {
  return value.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}
