/**
 * The real SM-PKI certificates in /work/shared/testdata/sm-pki-real (made by CAs nobody here controls) are read
 * correctly, and re-encoding their fields with our builders gives back their exact bytes: names with their
 * string types, every extension, and the whole TBSCertificate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  CertificateExtensionOids,
  crlDistributionPoints,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeExtendedKeyUsage,
  decodeIssuerAltName,
  decodeKeyUsage,
  decodeSubjectAltName,
  decodeSubjectKeyIdentifier,
  encodeName,
  encodeTbsCertificate,
  extendedKeyUsage,
  formatName,
  issuerAltName,
  keyIdentifierFromSpki,
  keyUsage,
  parseCertificate,
  subjectAltName,
  subjectKeyIdentifier,
  type CertificateExtension,
  type GeneralName,
  type GeneralNameInput,
} from '@smpki/crypto';

const REAL = '/work/shared/testdata/sm-pki-real';
const FILES = ['tls.cer', 'sig.cer', 'enc.cer', 'renewcert0.der', 'renewcert1.der'];
const load = (file: string) => parseCertificate(readFileSync(join(REAL, file)));

function asInput(name: GeneralName): GeneralNameInput {
  switch (name.type) {
    case 'email':
      return { email: name.value };
    case 'uri':
      return { uri: name.value };
    case 'dns':
      return { dns: name.value };
    case 'directoryName':
      return { directoryName: name.value.toDistinguishedName() };
    default:
      throw new Error(`no input form for ${name.type}`);
  }
}

/** Rebuilds an extension from its decoded value with our builders. */
function rebuild(extension: CertificateExtension): CertificateExtension {
  const options = { critical: extension.critical };
  switch (extension.oid) {
    case CertificateExtensionOids.authorityKeyIdentifier:
      return authorityKeyIdentifier(decodeAuthorityKeyIdentifier(extension.value).keyIdentifier!, options);
    case CertificateExtensionOids.subjectKeyIdentifier:
      return subjectKeyIdentifier(decodeSubjectKeyIdentifier(extension.value), options);
    case CertificateExtensionOids.keyUsage:
      return keyUsage(decodeKeyUsage(extension.value), options);
    case CertificateExtensionOids.basicConstraints:
      return basicConstraints(decodeBasicConstraints(extension.value), options);
    case CertificateExtensionOids.extKeyUsage:
      return extendedKeyUsage(decodeExtendedKeyUsage(extension.value), options);
    case CertificateExtensionOids.subjectAltName:
      return subjectAltName(decodeSubjectAltName(extension.value).map(asInput), options);
    case CertificateExtensionOids.issuerAltName:
      return issuerAltName(decodeIssuerAltName(extension.value).map(asInput), options);
    case CertificateExtensionOids.certificatePolicies:
      return certificatePolicies(decodeCertificatePolicies(extension.value).map(({ policy, cps }) => ({ policy, cps })), options);
    case CertificateExtensionOids.cRLDistributionPoints:
      return crlDistributionPoints(
        decodeCrlDistributionPoints(extension.value).map((point) => ({
          fullName: point.fullName?.map(asInput),
          ...(point.crlIssuer && { crlIssuer: point.crlIssuer.map(asInput) }),
        })),
        options,
      );
    default:
      throw new Error(`unexpected extension ${extension.oid}`);
  }
}

describe('real SM-PKI certificates', () => {
  it('reads names, validity, key and extensions as openssl shows them', () => {
    const tls = load('tls.cer');
    expect(formatName(tls.issuer, 'display')).toBe(
      'CN=DARZ.CA, O=SM-PKI-DE, C=DE, serialNumber=4, OU=DARZ GmbH, street=Julius-Reiber-Straße 11, postalCode=64293, L=Darmstadt, ST=Hessen',
    );
    expect(tls.subject.toString()).toBe('serialNumber=2,C=DE,OU=9978987000008,O=SM-PKI-DE,CN=TEN.EMT.MAKLIEF');
    expect(tls.serialNumberHex).toBe('2cf212c57e997354c0b814074b2e1d2d');
    expect(tls.notBefore.toISOString()).toBe('2026-01-13T10:37:08.000Z');
    expect(tls.notAfter.toISOString()).toBe('2028-01-13T23:59:59.000Z');
    expect(tls.signatureAlgorithm.name).toBe('ecdsa-with-SHA256');
    expect(tls.publicKey().curve).toBe('brainpoolP256r1');
    expect(tls.keyUsage()).toEqual(['digitalSignature']);
    expect(tls.extendedKeyUsage()).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']);
    expect(tls.basicConstraints()).toEqual({ ca: false });
    expect(tls.subjectAltName()).toEqual([
      { type: 'email', value: 'marktkommunikation-ws@thueringer-energienetze.com' },
      { type: 'uri', value: 'https://as4-9978987000008.thueringer-energienetze.com:443' },
      { type: 'dns', value: 'as4-9978987000008.thueringer-energienetze.com' },
    ]);
    expect(tls.fingerprint()).toMatch(/^[0-9a-f]{64}$/);
    const subCa = load('renewcert1.der');
    expect(subCa.basicConstraints()).toEqual({ ca: true, pathLength: 0 });
    expect(subCa.publicKey().curve).toBe('brainpoolP384r1');
    expect(subCa.signatureAlgorithm.name).toBe('ecdsa-with-SHA512');
    const [point] = subCa.crlDistributionPoints()!;
    expect(point!.crlIssuer![0]).toMatchObject({ type: 'directoryName' });
    expect(point!.crlIssuer![0]!.type === 'directoryName' && point!.crlIssuer![0]!.value.get('CN')).toBe('SM-Test-Root.CA.CRL-S');
    expect(subCa.certificatePolicies()).toEqual([{ policy: '0.4.0.127.0.7.3.4.1.1.1', cps: ['https://www.bsi.bund.de'], otherQualifiers: [] }]);
  });

  it('verifies the end-user certificate under its brainpoolP384r1 sub-CA and uses key identifier method 1 everywhere', () => {
    const user = load('renewcert0.der');
    const subCa = load('renewcert1.der');
    expect(user.verifySignature(subCa)).toBe(true);
    expect(subCa.verifySignature(user)).toBe(false);
    expect(user.authorityKeyIdentifier()!.keyIdentifier).toEqual(subCa.subjectKeyIdentifier());
    for (const file of FILES) {
      const certificate = load(file);
      expect(certificate.subjectKeyIdentifier()).toEqual(keyIdentifierFromSpki(certificate.subjectPublicKeyInfo));
    }
  });

  it.each(FILES)('re-encodes %s byte for byte: names, every extension, the whole TBSCertificate', (file) => {
    const certificate = load(file);
    expect(encodeName(certificate.subject.toDistinguishedName())).toEqual(certificate.subject.der);
    expect(encodeName(certificate.issuer.toDistinguishedName())).toEqual(certificate.issuer.der);
    // Our default string types (PrintableString when possible, UTF8String otherwise) are the ones these CAs chose.
    const withoutTypes = (name: typeof certificate.subject) => name.toDistinguishedName().map((rdn) => rdn.map(({ type, value }) => ({ type, value })));
    expect(encodeName(withoutTypes(certificate.subject))).toEqual(certificate.subject.der);
    expect(encodeName(withoutTypes(certificate.issuer))).toEqual(certificate.issuer.der);
    const extensions = certificate.extensions.map(rebuild);
    extensions.forEach((extension, index) => expect(extension).toEqual(certificate.extensions[index]));
    const tbs = encodeTbsCertificate(
      {
        serialNumber: certificate.serialNumber,
        issuer: certificate.issuer.toDistinguishedName(),
        subject: certificate.subject.toDistinguishedName(),
        validity: { notBefore: certificate.notBefore, notAfter: certificate.notAfter },
        subjectPublicKeyInfo: certificate.subjectPublicKeyInfo,
        extensions,
      },
      certificate.signatureAlgorithm,
    );
    expect(tbs.toString('hex')).toBe(certificate.tbs.toString('hex'));
  });
});
