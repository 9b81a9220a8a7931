/**
 * Test only: a small SM-PKI-shaped hierarchy with software keys, every certificate built to its profile:
 * root (brainpoolP384r1, SHA-384), sub-CA (brainpoolP256r1 key, signed SHA-384 by the root) and a market
 * participant's TLS, SIG and ENC certificates (brainpoolP256r1, signed SHA-256 by the sub-CA).
 */
import { ext, generateTestKey, issueTestCertificate, name, type TestKey } from './test-certificates';

export const SM_PKI_POLICY = '0.4.0.127.0.7.3.4.1.1.1';
const SUB_CA_POLICY = '1.3.6.1.4.1.99999.1.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface TestCa {
  key: TestKey;
  certificate: Buffer;
}

export interface TestPki {
  root: TestCa;
  subCa: TestCa;
  /** A market participant's certificates, with the keys they certify. */
  user: Record<'tls' | 'sig' | 'enc', { key: TestKey; certificate: Buffer }>;
}

export const ROOT_NAME = name([['CN', 'SM-Test-Root.CA'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE'], ['serialNumber', '9']]);
export const SUB_CA_NAME = name([['CN', 'Test-Sub.CA'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE'], ['serialNumber', '1']]);
export const USER_NAME = name([['CN', 'Company-Test.EMT.MAK'], ['O', 'SM-Test-PKI-DE'], ['OU', '1234567890120'], ['C', 'DE'], ['serialNumber', '1']]);

export function createTestPki(): TestPki {
  const rootKey = generateTestKey('brainpoolP384r1');
  const root = issueTestCertificate({
    subject: ROOT_NAME,
    publicKey: rootKey.spki,
    signingKey: rootKey,
    hash: 'SHA-384',
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2035-12-31T23:59:59Z'),
    extensions: [
      ext.subjectKeyIdentifier(rootKey.spki),
      ext.keyUsage(['keyCertSign', 'cRLSign']),
      ext.certificatePolicies([SM_PKI_POLICY]),
      ext.basicConstraints(true, 1),
    ],
  });
  const subCaKey = generateTestKey('brainpoolP256r1');
  const subCa = issueTestCertificate({
    subject: SUB_CA_NAME,
    issuer: ROOT_NAME,
    publicKey: subCaKey.spki,
    signingKey: rootKey,
    hash: 'SHA-384',
    notBefore: new Date('2026-01-02T08:00:00Z'),
    notAfter: new Date('2030-12-31T23:59:59Z'),
    extensions: [
      ext.authorityKeyIdentifier(rootKey.spki),
      ext.subjectKeyIdentifier(subCaKey.spki),
      ext.keyUsage(['keyCertSign', 'cRLSign']),
      ext.certificatePolicies([SM_PKI_POLICY]),
      ext.subjectAltName({ email: ['ca@example.org'], uri: ['https://ca.example.org/'] }),
      ext.basicConstraints(true, 0),
      ext.crlDistributionPoint('ldap://ldap.example.org/cn=Test-Sub.CA?certificateRevocationList'),
    ],
  });
  const userCertificate = (purpose: 'tls' | 'sig' | 'enc') => {
    const key = generateTestKey('brainpoolP256r1');
    const certificate = issueTestCertificate({
      subject: USER_NAME,
      issuer: SUB_CA_NAME,
      publicKey: key.spki,
      signingKey: subCaKey,
      hash: 'SHA-256',
      notBefore: new Date('2026-03-01T10:00:00Z'),
      notAfter: new Date('2028-03-01T23:59:59Z'),
      extensions: [
        ext.authorityKeyIdentifier(subCaKey.spki),
        ext.subjectKeyIdentifier(key.spki),
        ext.keyUsage(purpose === 'enc' ? ['keyEncipherment', 'keyAgreement'] : ['digitalSignature']),
        ext.certificatePolicies([SUB_CA_POLICY]),
        ext.subjectAltName({ email: ['test@company.example'], uri: ['https://maco.company.example/'], ...(purpose === 'tls' ? { dns: ['maco.company.example'] } : {}) }),
        ext.basicConstraints(false),
        ...(purpose === 'tls' ? [ext.extKeyUsage([CLIENT_AUTH, SERVER_AUTH])] : []),
        ext.crlDistributionPoint('ldap://ldap.example.org/cn=Test-Sub.CA?certificateRevocationList'),
      ],
    });
    return { key, certificate };
  };
  return {
    root: { key: rootKey, certificate: root },
    subCa: { key: subCaKey, certificate: subCa },
    user: { tls: userCertificate('tls'), sig: userCertificate('sig'), enc: userCertificate('enc') },
  };
}
