/**
 * What the checks look at: a certificate (or a certificate about to be issued) reduced to plain values. Checks
 * never parse; they read facts, so the linter and the pre-issuance check share every rule.
 */
import type { CurveName, ExtensionName, GeneralNameType, HashName, KeyUsageName, NameAttributeName } from './vocabulary';

export interface NameAttribute {
  oid: string;
  /** Short name (CN, O, OU, C, serialNumber, ...) when known. */
  name?: NameAttributeName;
  value: string;
}

export interface NameFacts {
  der: Buffer;
  attributes: NameAttribute[];
}

export interface PublicKeyFacts {
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  algorithmOid: string;
  /** Named-curve OID, when the key names one. */
  curveOid?: string;
  /** The curve's name, when it is one smpki knows. */
  curve?: CurveName;
  explicitParameters: boolean;
}

export interface ExtensionFacts {
  oid: string;
  name?: ExtensionName;
  critical: boolean;
  value: Buffer;
}

export interface GeneralNameFacts {
  type: GeneralNameType;
  value: string;
}

/** The extensions checks reason about, decoded (absent when the extension is absent or malformed). */
export interface DecodedExtensions {
  keyUsage?: KeyUsageName[];
  /** Purpose OIDs. */
  extendedKeyUsage?: string[];
  basicConstraints?: { cA: boolean; pathLen?: number };
  subjectAltName?: GeneralNameFacts[];
  /** Policy OIDs. */
  certificatePolicies?: string[];
  subjectKeyIdentifier?: Buffer;
  /** The keyIdentifier of the authorityKeyIdentifier. */
  authorityKeyIdentifier?: Buffer;
}

export interface CertificateFacts {
  version: number;
  /** Content octets of the serialNumber INTEGER (two's complement), when known. */
  serialNumber?: Buffer;
  /** Signature algorithm OID (of the TBS for a candidate, the outer one for a certificate). */
  signatureAlgorithmOid?: string;
  /** A certificate whose TBS names another algorithm than its outer signatureAlgorithm. */
  signatureAlgorithmMismatch?: boolean;
  /** The signature hash, when the algorithm is ECDSA with SHA-2. */
  signatureHash?: HashName;
  issuer?: NameFacts;
  subject: NameFacts;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyFacts;
  extensions: ExtensionFacts[];
  decoded: DecodedExtensions;
  /** Extensions whose value does not decode as their type requires. */
  malformedExtensions: Array<{ name: ExtensionName; reason: string }>;
  /** Signed bytes and signature value, for a signed certificate. */
  signed?: { tbs: Buffer; signature: Buffer };
}

export function attributeValues(name: NameFacts | undefined, attribute: NameAttributeName): string[] {
  return (name?.attributes ?? []).filter((candidate) => candidate.name === attribute).map((candidate) => candidate.value);
}
