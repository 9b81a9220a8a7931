/**
 * Object identifiers smpki encodes or recognises, by what they mean. Dotted strings, as @peculiar/asn1-* uses them.
 */

/** Elliptic curves (RFC 5639 brainpool, RFC 5480 NIST) and key algorithms. */
export const CurveOids = {
  brainpoolP256r1: '1.3.36.3.3.2.8.1.1.7',
  brainpoolP384r1: '1.3.36.3.3.2.8.1.1.11',
  brainpoolP512r1: '1.3.36.3.3.2.8.1.1.13',
  /** NIST P-256 (prime256v1 / secp256r1). */
  'P-256': '1.2.840.10045.3.1.7',
  /** NIST P-384 (secp384r1). */
  'P-384': '1.3.132.0.34',
} as const;

export const KeyAlgorithmOids = {
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

/** ECDSA signature algorithms (RFC 5758): their AlgorithmIdentifier has no parameters. */
export const SignatureAlgorithmOids = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  /** Recognised only to name it in errors: SHA-1 signatures are refused. */
  ecdsaWithSha1: '1.2.840.10045.4.1',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
} as const;

/** SM-PKI (BSI TR-03109-4). */
export const SmPkiOids = {
  /** Certificate policy of the German smart-metering PKI. */
  certificatePolicy: '0.4.0.127.0.7.3.4.1.1.1',
  /** Content type of the initial certificate request (ContentInfo around CertReqMessages). */
  initialRequest: '0.4.0.127.0.7.4.1.1.1',
  /** Content type of the renewal request (ContentInfo around SignedData signed by the old key). */
  renewalRequest: '0.4.0.127.0.7.4.1.1.2',
} as const;

/** X.520 name attribute types. */
export const NameAttributeOids = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  streetAddress: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  postalCode: '2.5.4.17',
  givenName: '2.5.4.42',
  pseudonym: '2.5.4.65',
  domainComponent: '0.9.2342.19200300.100.1.25',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

/**
 * Certificate extensions (RFC 5280 4.2), by the names profiles use for them (@smpki/policy names every extension it
 * knows from this table; one it does not find here is reported as unknown).
 */
export const CertificateExtensionOids = {
  subjectDirectoryAttributes: '2.5.29.9',
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
} as const;

/** CRL and CRL entry extensions (RFC 5280 5.2, 5.3). */
export const CrlExtensionOids = {
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  authorityKeyIdentifier: '2.5.29.35',
  freshestCRL: '2.5.29.46',
  /** Entry extensions. */
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

/** Extended key usages (RFC 5280 4.2.1.12). */
export const ExtendedKeyUsageOids = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** Access methods (authorityInfoAccess) and policy qualifiers. */
export const PkixOids = {
  caIssuers: '1.3.6.1.5.5.7.48.2',
  ocsp: '1.3.6.1.5.5.7.48.1',
  cpsQualifier: '1.3.6.1.5.5.7.2.1',
  userNoticeQualifier: '1.3.6.1.5.5.7.2.2',
  anyPolicy: '2.5.29.32.0',
} as const;

/** PKCS#9 attributes seen in PKCS#10 requests. */
export const Pkcs9Oids = {
  extensionRequest: '1.2.840.113549.1.9.14',
  challengePassword: '1.2.840.113549.1.9.7',
} as const;
