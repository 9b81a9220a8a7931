/**
 * Test only: certificates built and signed in this process with software EC keys (node:crypto signs brainpool),
 * and real certificates re-signed after one deliberate change. Used by the profile tests (a certificate that
 * breaks exactly one rule) and the CRMF renewal tests (an old signature certificate and its CA).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CertificatePolicies,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  PolicyInformation,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
} from '@peculiar/asn1-x509';
import { createHash, randomBytes } from 'node:crypto';

export const REAL = '/work/shared/testdata/sm-pki-real';

export function readReal(file: string): Buffer {
  return readFileSync(join(REAL, file));
}

export type TestCurve = 'brainpoolP256r1' | 'brainpoolP384r1' | 'brainpoolP512r1' | 'P-256' | 'P-384' | 'secp256k1';
export type TestHash = 'SHA-256' | 'SHA-384' | 'SHA-512';

const NODE_CURVE: Record<TestCurve, string> = {
  brainpoolP256r1: 'brainpoolP256r1',
  brainpoolP384r1: 'brainpoolP384r1',
  brainpoolP512r1: 'brainpoolP512r1',
  'P-256': 'prime256v1',
  'P-384': 'secp384r1',
  secp256k1: 'secp256k1',
};

const SIGNATURE_OID: Record<TestHash, string> = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

export interface TestKey {
  privateKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
}

export function generateTestKey(curve: TestCurve = 'brainpoolP256r1'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: NODE_CURVE[curve] });
  return { privateKey, spki: publicKey.export({ format: 'der', type: 'spki' }) };
}

export function generateRsaKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, spki: publicKey.export({ format: 'der', type: 'spki' }) };
}

/** A sign function in the `(data) => Promise<DER ECDSA>` shape the encoders take. */
export function signWith(key: TestKey, hash: TestHash = 'SHA-256'): (data: Uint8Array) => Promise<Buffer> {
  return async (data) => sign(hash.replace('-', '').toLowerCase(), data, key.privateKey);
}

const ATTRIBUTE_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  postalCode: '2.5.4.17',
};

/** `name([['CN', 'x.CA'], ['O', 'SM-Test-PKI-DE']])`: PrintableString where possible, else UTF8String. */
export function name(attributes: ReadonlyArray<readonly [string, string]>): Name {
  return new Name(
    attributes.map(([type, value]) => {
      const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
      const attributeValue = new AttributeValue(printable ? { printableString: value } : { utf8String: value });
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type: ATTRIBUTE_OIDS[type] ?? type, value: attributeValue })]);
    }),
  );
}

export function keyIdentifier(spki: Uint8Array): Buffer {
  return createHash('sha1').update(Buffer.from(AsnConvert.parse(spki, SubjectPublicKeyInfo).subjectPublicKey)).digest();
}

function extension(extnID: string, value: object, critical = false): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

const KEY_USAGE_BITS: Record<string, number> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  contentCommitment: KeyUsageFlags.nonRepudiation,
  keyEncipherment: KeyUsageFlags.keyEncipherment,
  keyAgreement: KeyUsageFlags.keyAgreement,
  keyCertSign: KeyUsageFlags.keyCertSign,
  cRLSign: KeyUsageFlags.cRLSign,
};

export const ext = {
  keyUsage: (usages: string[], critical = true) =>
    extension('2.5.29.15', new KeyUsage(usages.reduce((bits, usage) => bits | KEY_USAGE_BITS[usage]!, 0)), critical),
  basicConstraints: (cA: boolean, pathLenConstraint?: number, critical = true) =>
    extension('2.5.29.19', new BasicConstraints({ cA, pathLenConstraint }), critical),
  extKeyUsage: (oids: string[], critical = true) => extension('2.5.29.37', new ExtendedKeyUsage(oids), critical),
  subjectAltName: (names: { email?: string[]; uri?: string[]; dns?: string[] }, critical = false) =>
    extension(
      '2.5.29.17',
      new SubjectAlternativeName([
        ...(names.email ?? []).map((rfc822Name) => new GeneralName({ rfc822Name })),
        ...(names.uri ?? []).map((uniformResourceIdentifier) => new GeneralName({ uniformResourceIdentifier })),
        ...(names.dns ?? []).map((dNSName) => new GeneralName({ dNSName })),
      ]),
      critical,
    ),
  subjectKeyIdentifier: (spki: Uint8Array) => extension('2.5.29.14', new SubjectKeyIdentifier(keyIdentifier(spki))),
  authorityKeyIdentifier: (issuerSpki: Uint8Array) =>
    extension('2.5.29.35', new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifier(issuerSpki)) })),
  certificatePolicies: (oids: string[]) => extension('2.5.29.32', new CertificatePolicies(oids.map((policyIdentifier) => new PolicyInformation({ policyIdentifier })))),
  crlDistributionPoint: (uri: string) =>
    extension(
      '2.5.29.31',
      new CRLDistributionPoints([
        new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: uri })] }) }),
      ]),
    ),
};

export interface CertificateSpec {
  subject: Name;
  /** Default: the subject (self-issued). */
  issuer?: Name;
  publicKey: Uint8Array;
  /** Signs the certificate (the issuer's key; the subject's own for a self-signed one). */
  signingKey: TestKey;
  hash: TestHash;
  notBefore: Date;
  notAfter: Date;
  extensions: Extension[];
  serialNumber?: Buffer;
}

export function issueTestCertificate(spec: CertificateSpec): Buffer {
  const tbs = new TBSCertificate({
    version: 2,
    serialNumber: new Uint8Array(spec.serialNumber ?? Buffer.concat([Buffer.of(0x40), randomBytes(15)])).buffer as ArrayBuffer,
    signature: new AlgorithmIdentifier({ algorithm: SIGNATURE_OID[spec.hash] }),
    issuer: spec.issuer ?? spec.subject,
    validity: new Validity({ notBefore: spec.notBefore, notAfter: spec.notAfter }),
    subject: spec.subject,
    subjectPublicKeyInfo: AsnConvert.parse(spec.publicKey, SubjectPublicKeyInfo),
    extensions: new Extensions(spec.extensions),
  });
  return signTbs(tbs, spec.signingKey, spec.hash);
}

/** A certificate with `change` applied to its TBSCertificate, signed again by `signingKey`. */
export function resignCertificate(der: Uint8Array, change: (tbs: TBSCertificate) => void, signingKey: TestKey, hash: TestHash = 'SHA-256'): Buffer {
  const certificate = AsnConvert.parse(der, Certificate);
  change(certificate.tbsCertificate);
  return signTbs(certificate.tbsCertificate, signingKey, hash);
}

function signTbs(tbs: TBSCertificate, key: TestKey, hash: TestHash): Buffer {
  tbs.signature = new AlgorithmIdentifier({ algorithm: SIGNATURE_OID[hash] });
  const signature = sign(hash.replace('-', '').toLowerCase(), Buffer.from(AsnConvert.serialize(tbs)), key.privateKey);
  const certificate = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: tbs.signature, signatureValue: new Uint8Array(signature).buffer as ArrayBuffer });
  return Buffer.from(AsnConvert.serialize(certificate));
}

/** Replaces (or, with `replacement` undefined, removes) the extension `oid` of a TBSCertificate; appends when absent. */
export function setExtension(tbs: TBSCertificate, oid: string, replacement?: Extension): void {
  const list = [...(tbs.extensions ?? [])];
  const index = list.findIndex((candidate) => candidate.extnID === oid);
  if (index >= 0) {
    if (replacement) list[index] = replacement;
    else list.splice(index, 1);
  } else if (replacement) {
    list.push(replacement);
  }
  tbs.extensions = new Extensions(list);
}

export function spkiOf(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' });
}

export const utc = (text: string): Date => new Date(text);
