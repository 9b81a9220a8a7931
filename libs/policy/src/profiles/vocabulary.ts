/**
 * The words profiles are written in: curves, hashes, key usages, general-name types, extensions and name
 * attributes by readable name, with the OIDs they stand for. Profiles are data that operators read and configure,
 * so they say `brainpoolP256r1` and `cRLDistributionPoints`, never dotted numbers (except policy OIDs, which have
 * no other name).
 */

export const CURVE_OIDS = {
  brainpoolP256r1: '1.3.36.3.3.2.8.1.1.7',
  brainpoolP384r1: '1.3.36.3.3.2.8.1.1.11',
  brainpoolP512r1: '1.3.36.3.3.2.8.1.1.13',
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
} as const;
export type CurveName = keyof typeof CURVE_OIDS;
export const CURVE_NAMES = Object.keys(CURVE_OIDS) as CurveName[];

/** The hash that matches each curve's strength (TR-03116-3: SHA-256 with 256-bit keys, and so on). */
export const CURVE_HASH: Readonly<Record<CurveName, HashName>> = {
  brainpoolP256r1: 'SHA-256',
  brainpoolP384r1: 'SHA-384',
  brainpoolP512r1: 'SHA-512',
  'P-256': 'SHA-256',
  'P-384': 'SHA-384',
};

export const ECDSA_SIGNATURE_OIDS = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
} as const;
export type HashName = keyof typeof ECDSA_SIGNATURE_OIDS;
export const HASH_NAMES = Object.keys(ECDSA_SIGNATURE_OIDS) as HashName[];

export const EC_PUBLIC_KEY_OID = '1.2.840.10045.2.1';

/** RFC 5280 4.2.1.3 names, in bit order (bit 0 first). */
export const KEY_USAGE_NAMES = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

export const KEY_PURPOSE_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;
export type KeyPurposeName = keyof typeof KEY_PURPOSE_OIDS;

/** The GeneralName alternatives (RFC 5280 4.2.1.6), as @peculiar/asn1-x509 names its fields. */
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

export const EXTENSION_OIDS = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  privateKeyUsagePeriod: '2.5.29.16',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  freshestCRL: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  subjectDirectoryAttributes: '2.5.29.9',
} as const;
export type ExtensionName = keyof typeof EXTENSION_OIDS;

/** Short names of the X.520 attributes SM-PKI names use. */
export const NAME_ATTRIBUTE_OIDS = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  postalCode: '2.5.4.17',
  DC: '0.9.2342.19200300.100.1.25',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;
export type NameAttributeName = keyof typeof NAME_ATTRIBUTE_OIDS;

/** Certificate policy of the German smart-metering PKI (BSI). */
export const SM_PKI_POLICY_OID = '0.4.0.127.0.7.3.4.1.1.1';

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
