/**
 * A small SM-PKI-shaped hierarchy for tests: root (self-signed CA) -> sub-CA -> end entity, each certificate built
 * with @smpki/crypto's builder and signed by the given Signers (software keys in unit tests, SoftHSM keys in
 * integration tests).
 */
import type { Signer } from '@smpki/hsm';
import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  extendedKeyUsage,
  freshestCrl,
  issueCertificate,
  issuerAltName,
  keyUsage,
  parseCertificate,
  randomSerialNumber,
  SmPkiOids,
  subjectAltName,
  subjectKeyIdentifier,
  type CertificateExtension,
  type DistinguishedName,
  type GeneralNameInput,
  type ParsedCertificate,
} from '@smpki/crypto';

export const DAY_MS = 86_400_000;

export interface IssuedTestCertificate {
  signer: Signer;
  der: Buffer;
  certificate: ParsedCertificate;
  pem: string;
}

export function rootName(cn = 'SM-Test-Root.CA'): DistinguishedName {
  return [
    { type: 'CN', value: cn },
    { type: 'O', value: 'SM-Test-PKI-DE' },
    { type: 'C', value: 'DE' },
    { type: 'serialNumber', value: '1' },
  ];
}

export function subCaName(cn = 'Test-Metering.CA'): DistinguishedName {
  return [
    { type: 'CN', value: cn },
    { type: 'O', value: 'SM-Test-PKI-DE' },
    { type: 'C', value: 'DE' },
    { type: 'serialNumber', value: '1' },
    { type: 'street', value: 'Teststraße 1' },
    { type: 'postalCode', value: '64293' },
    { type: 'L', value: 'Darmstadt' },
    { type: 'ST', value: 'Hessen' },
  ];
}

export function endEntityName(cn = 'Company-Test.EMT.MAK'): DistinguishedName {
  return [
    { type: 'CN', value: cn },
    { type: 'O', value: 'SM-Test-PKI-DE' },
    { type: 'OU', value: '1234567890120' },
    { type: 'C', value: 'DE' },
    { type: 'serialNumber', value: '1' },
  ];
}

function validity(days: number, now = Date.now()): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now - 3_600_000), notAfter: new Date(now + days * DAY_MS) };
}

async function issued(signer: Signer, der: Buffer): Promise<IssuedTestCertificate> {
  const certificate = parseCertificate(der);
  return { signer, der, certificate, pem: certificate.toPem() };
}

export async function issueRoot(signer: Signer, name: DistinguishedName = rootName()): Promise<IssuedTestCertificate> {
  const spki = signer.publicKey.spki;
  const der = await issueCertificate(
    {
      serialNumber: randomSerialNumber(),
      issuer: name,
      subject: name,
      validity: validity(3650),
      subjectPublicKeyInfo: spki,
      extensions: [
        subjectKeyIdentifier({ spki }),
        authorityKeyIdentifier({ spki }),
        keyUsage(['keyCertSign', 'cRLSign']),
        basicConstraints({ ca: true, pathLength: 1 }),
        certificatePolicies([{ policy: SmPkiOids.certificatePolicy, cps: 'https://www.bsi.bund.de' }]),
      ],
    },
    signer,
  );
  return issued(signer, der);
}

export interface SubCaOptions {
  name?: DistinguishedName;
  crlUris?: string[];
  /** cRLIssuer of the distribution point (indirect root CRL signed by a CRL signer). */
  crlIssuer?: DistinguishedName;
}

export function caExtensions(issuer: IssuedTestCertificate, options: { crlUris?: string[]; crlIssuer?: DistinguishedName } = {}): CertificateExtension[] {
  const crlUris = options.crlUris ?? ['http://crl.test.invalid/root.crl', 'ldap://ldap.test.invalid/CN=SM-Test-Root.CA,O=SM-Test-PKI-DE,C=DE?certificateRevocationList'];
  return [
    authorityKeyIdentifier(issuer.certificate.subjectKeyIdentifier()!),
    certificatePolicies([{ policy: SmPkiOids.certificatePolicy, cps: 'https://www.bsi.bund.de' }]),
    issuerAltName([{ email: 'pki@test.invalid' }, { uri: 'https://pki.test.invalid/' }]),
    crlDistributionPoints([{ fullName: crlUris, ...(options.crlIssuer && { crlIssuer: [{ directoryName: options.crlIssuer }] }) }]),
    authorityInfoAccess({ caIssuers: ['http://pki.test.invalid/issuer.cer'] }),
  ];
}

export async function issueSubCa(issuer: IssuedTestCertificate, signer: Signer, options: SubCaOptions = {}): Promise<IssuedTestCertificate> {
  const spki = signer.publicKey.spki;
  const der = await issueCertificate(
    {
      serialNumber: randomSerialNumber(),
      issuer: issuer.certificate.subject.der,
      subject: options.name ?? subCaName(),
      validity: validity(1825),
      subjectPublicKeyInfo: spki,
      extensions: [
        subjectKeyIdentifier({ spki }),
        keyUsage(['keyCertSign', 'cRLSign']),
        basicConstraints({ ca: true, pathLength: 0 }),
        ...caExtensions(issuer, options),
      ],
    },
    issuer.signer,
  );
  return issued(signer, der);
}

export interface EndEntityOptions {
  name?: DistinguishedName;
  san?: GeneralNameInput[];
  crlUris?: string[];
  /** freshestCRL: where delta CRLs are (OpenSSL applies delta CRLs only to certificates that have it). */
  deltaCrlUris?: string[];
}

export async function issueEndEntity(issuer: IssuedTestCertificate, signer: Signer, options: EndEntityOptions = {}): Promise<IssuedTestCertificate> {
  const spki = signer.publicKey.spki;
  const der = await issueCertificate(
    {
      serialNumber: randomSerialNumber(),
      issuer: issuer.certificate.subject.der,
      subject: options.name ?? endEntityName(),
      validity: validity(730),
      subjectPublicKeyInfo: spki,
      extensions: [
        authorityKeyIdentifier(issuer.certificate.subjectKeyIdentifier()!),
        subjectKeyIdentifier({ spki }),
        keyUsage(['digitalSignature']),
        extendedKeyUsage(['clientAuth', 'serverAuth']),
        subjectAltName(options.san ?? [{ email: 'test@company.invalid' }, { uri: 'https://maco.company.invalid:11111/maco' }, { dns: 'maco.company.invalid' }]),
        basicConstraints({ ca: false }),
        crlDistributionPoints([{ fullName: options.crlUris ?? ['http://crl.test.invalid/sub.crl', 'ldap://ldap.test.invalid/CN=Test-Metering.CA?certificateRevocationList'] }]),
        ...(options.deltaCrlUris ? [freshestCrl([{ fullName: options.deltaCrlUris }])] : []),
      ],
    },
    issuer.signer,
  );
  return issued(signer, der);
}
