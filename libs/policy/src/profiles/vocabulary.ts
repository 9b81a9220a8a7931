/**
 * The words profiles are written in: curves, hashes, key usages, general-name types and extensions by readable
 * name. Profiles are data that operators read and configure, so they say `brainpoolP256r1` and
 * `cRLDistributionPoints`, never dotted numbers (except policy OIDs, which have no other name). The OIDs these
 * words stand for are @smpki/crypto's (`CurveOids`, `CertificateExtensionOids`, `ExtendedKeyUsageOids`, ...): one
 * vocabulary for the code base; this file only adds the profile's spelling where it differs.
 */
import {
  CurveOids,
  EC_CURVES,
  ecdsaSignatureAlgorithm,
  HASH_ALGORITHMS,
  KEY_USAGES,
  type CertificateExtensionOids,
  type ExtendedKeyUsageName,
  type KeyUsage,
  type NameAttributeType,
  type SignatureAlgorithm,
} from '@smpki/crypto';

export type CurveName = keyof typeof CurveOids;
export const CURVE_NAMES = Object.keys(CurveOids) as CurveName[];

export type HashName = SignatureAlgorithm['hash'];

/** The hash that matches each curve's strength (TR-03116-3: SHA-256 with 256-bit keys, and so on). */
export const CURVE_HASH: Readonly<Record<CurveName, HashName>> = Object.fromEntries(EC_CURVES.map((curve) => [curve.name, curve.defaultHash])) as Record<CurveName, HashName>;

const HASH_OF_SIGNATURE_OID = new Map(HASH_ALGORITHMS.map((hash) => [ecdsaSignatureAlgorithm(hash).oid, hash]));

/** The hash of an ECDSA-with-SHA-2 signature algorithm OID; undefined for any other algorithm. */
export function hashOfSignatureOid(oid: string): HashName | undefined {
  return HASH_OF_SIGNATURE_OID.get(oid);
}

/** RFC 5280 4.2.1.3 names in bit order: profiles say contentCommitment (its current name) for nonRepudiation. */
export type KeyUsageName = Exclude<KeyUsage, 'nonRepudiation'> | 'contentCommitment';
export const KEY_USAGE_NAMES = KEY_USAGES.map(keyUsageName) as [KeyUsageName, ...KeyUsageName[]];

export function keyUsageName(usage: KeyUsage): KeyUsageName {
  return usage === 'nonRepudiation' ? 'contentCommitment' : usage;
}

export type KeyPurposeName = ExtendedKeyUsageName;

/** The GeneralName alternatives (RFC 5280 4.2.1.6) by their ASN.1 names, in tag order ([0] otherName ... [8]). */
export const GENERAL_NAME_TYPES = [
  'otherName',
  'rfc822Name',
  'dNSName',
  'x400Address',
  'directoryName',
  'ediPartyName',
  'uniformResourceIdentifier',
  'iPAddress',
  'registeredID',
] as const;
export type GeneralNameType = (typeof GENERAL_NAME_TYPES)[number];

export type ExtensionName = keyof typeof CertificateExtensionOids;

/** Short names of the X.520 attributes (CN, O, OU, C, serialNumber, ...), as @smpki/crypto's names use them. */
export type NameAttributeName = NameAttributeType;

const REVERSED = new WeakMap<object, Map<string, string>>();

/** The name a table gives an OID (the reverse lookup is built once per table: it runs per extension and name). */
export function nameOfOid<T extends string>(table: Readonly<Record<T, string>>, oid: string): T | undefined {
  let reversed = REVERSED.get(table);
  if (!reversed) {
    reversed = new Map(Object.entries<string>(table).map(([name, value]) => [value, name]));
    REVERSED.set(table, reversed);
  }
  return reversed.get(oid) as T | undefined;
}
