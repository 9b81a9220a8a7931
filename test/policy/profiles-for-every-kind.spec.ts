/**
 * Every SM-PKI profile accepts a certificate built the way it describes (recognised without being named, checked
 * against its issuer), and rejects one built the way another profile describes. The certificates come from a
 * software-key test hierarchy shaped like the real one: root brainpoolP384r1, sub-CA, end users brainpoolP256r1.
 */
import { lintCertificate, smPkiProfiles, type Finding } from '@smpki/policy';
import { ext, generateTestKey, issueTestCertificate, name } from './support/test-certificates';
import { createTestPki, ROOT_NAME, SM_PKI_POLICY } from './support/test-pki';

const pki = createTestPki();

function errorRules(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule))].sort();
}

describe('the SM-PKI profiles on a test hierarchy', () => {
  it('root: recognised and self-consistent (signature verified with its own key)', () => {
    expect(lintCertificate(pki.root.certificate)).toEqual({ profile: 'sm-root-ca', findings: [], ok: true });
  });

  it('sub-CA, checked against the root', () => {
    expect(lintCertificate(pki.subCa.certificate, { issuer: pki.root.certificate })).toEqual({ profile: 'sm-sub-ca', findings: [], ok: true });
  });

  it.each(['tls', 'sig', 'enc'] as const)('end user %s, checked against the sub-CA', (purpose) => {
    expect(lintCertificate(pki.user[purpose].certificate, { issuer: pki.subCa.certificate })).toEqual({ profile: `sm-user-${purpose}`, findings: [], ok: true });
  });

  it('a root whose signature does not verify with its own key', () => {
    const other = generateTestKey('brainpoolP384r1');
    const forged = issueTestCertificate({
      subject: ROOT_NAME,
      publicKey: pki.root.key.spki,
      signingKey: other,
      hash: 'SHA-384',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2035-12-31T23:59:59Z'),
      extensions: [ext.subjectKeyIdentifier(pki.root.key.spki), ext.keyUsage(['keyCertSign', 'cRLSign']), ext.basicConstraints(true, 1)],
    });
    expect(errorRules(lintCertificate(forged).findings)).toEqual(['signature.valid']);
  });

  it('link certificate: the next root generation certified by the current root', () => {
    const nextKey = generateTestKey('brainpoolP512r1');
    const nextName = name([['CN', 'SM-Test-Root.CA'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE'], ['serialNumber', '10']]);
    const link = issueTestCertificate({
      subject: nextName,
      issuer: ROOT_NAME,
      publicKey: nextKey.spki,
      signingKey: pki.root.key,
      hash: 'SHA-384',
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2035-12-31T23:59:59Z'),
      extensions: [ext.authorityKeyIdentifier(pki.root.key.spki), ext.subjectKeyIdentifier(nextKey.spki), ext.keyUsage(['keyCertSign', 'cRLSign']), ext.basicConstraints(true, 1)],
    });
    expect(lintCertificate(link, { issuer: pki.root.certificate })).toEqual({ profile: 'sm-link', findings: [], ok: true });
    // A link certificate outliving the root that signs it breaks the shell model.
    const tooLong = issueTestCertificate({
      subject: nextName,
      issuer: ROOT_NAME,
      publicKey: nextKey.spki,
      signingKey: pki.root.key,
      hash: 'SHA-384',
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2036-12-31T23:59:59Z'),
      extensions: [ext.authorityKeyIdentifier(pki.root.key.spki), ext.subjectKeyIdentifier(nextKey.spki), ext.keyUsage(['keyCertSign', 'cRLSign']), ext.basicConstraints(true, 1)],
    });
    expect(errorRules(lintCertificate(tooLong, { issuer: pki.root.certificate }).findings)).toEqual(['validity.within-issuer']);
  });

  it('CRL signer of the root', () => {
    const key = generateTestKey('brainpoolP384r1');
    const crlSigner = issueTestCertificate({
      subject: name([['CN', 'SM-Test-Root.CA.CRL-S'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE']]),
      issuer: ROOT_NAME,
      publicKey: key.spki,
      signingKey: pki.root.key,
      hash: 'SHA-384',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2030-12-31T23:59:59Z'),
      extensions: [ext.authorityKeyIdentifier(pki.root.key.spki), ext.subjectKeyIdentifier(key.spki), ext.keyUsage(['cRLSign'])],
    });
    expect(lintCertificate(crlSigner, { issuer: pki.root.certificate })).toEqual({ profile: 'sm-crl-signer', findings: [], ok: true });
  });

  it('meter certificate: the meter ID in serialNumber, a NIST curve allowed (DLMS suites 1/2)', () => {
    const key = generateTestKey('P-256');
    const meter = issueTestCertificate({
      subject: name([['CN', 'Meter'], ['serialNumber', '1EMH0012345678']]),
      issuer: name([['CN', 'Test-Sub.CA'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE'], ['serialNumber', '1']]),
      publicKey: key.spki,
      signingKey: pki.subCa.key,
      hash: 'SHA-256',
      notBefore: new Date('2026-03-01T10:00:00Z'),
      notAfter: new Date('2030-03-01T10:00:00Z'),
      extensions: [ext.authorityKeyIdentifier(pki.subCa.key.spki), ext.subjectKeyIdentifier(key.spki), ext.keyUsage(['digitalSignature', 'contentCommitment'])],
    });
    expect(lintCertificate(meter, { issuer: pki.subCa.certificate })).toEqual({ profile: 'meter-calibration', findings: [], ok: true });
    expect(errorRules(lintCertificate(meter, { profile: 'sm-user-sig' }).findings)).toContain('key.curve');
  });

  it('meter certificate with the ID in CN when configured so, and a malformed ID', () => {
    const profiles = smPkiProfiles({ meter: { idAttribute: 'CN', idPattern: '^MTR-[0-9]{8}$' } });
    const key = generateTestKey('brainpoolP256r1');
    const meter = (cn: string) =>
      issueTestCertificate({
        subject: name([['CN', cn]]),
        issuer: ROOT_NAME,
        publicKey: key.spki,
        signingKey: pki.subCa.key,
        hash: 'SHA-256',
        notBefore: new Date('2026-03-01T10:00:00Z'),
        notAfter: new Date('2030-03-01T10:00:00Z'),
        extensions: [ext.authorityKeyIdentifier(pki.subCa.key.spki), ext.subjectKeyIdentifier(key.spki), ext.keyUsage(['digitalSignature'])],
      });
    expect(lintCertificate(meter('MTR-00000042'), { profiles })).toMatchObject({ profile: 'meter-calibration', ok: true });
    expect(errorRules(lintCertificate(meter('MTR-42'), { profiles, profile: 'meter-calibration' }).findings)).toEqual(['name.meter-id']);
  });

  it('the sub-CA policy OID is configurable', () => {
    const profiles = smPkiProfiles({ policyOid: '1.2.3.4' });
    expect(errorRules(lintCertificate(pki.subCa.certificate, { profiles }).findings)).toEqual(['ext.policies']);
    expect(SM_PKI_POLICY).toBe('0.4.0.127.0.7.3.4.1.1.1');
  });
});
