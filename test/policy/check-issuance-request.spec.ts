/**
 * The pre-issuance check as the CA service will call it: the real SM-PKI initial request parsed and its proofs
 * verified, a certificate planned from each request by the profile, checked before anything is signed.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { checkIssuanceRequest, profileValidity, readCertificateFacts, SM_PKI_PROFILES, type Finding, type IssuanceCandidate } from '@smpki/policy';
import { parseInitialRequest } from '../../libs/crypto/src/crmf/parse-initial-request';
import type { CrmfCertificateRequest } from '../../libs/crypto/src/crmf/crmf-certificate-request';
import { ext, generateTestKey, readReal } from './support/test-certificates';
import { createTestPki } from './support/test-pki';

const pki = createTestPki();
const issuer = readCertificateFacts(pki.subCa.certificate);
const requests = parseInitialRequest(readReal('init.crmf')).requests;
const SUB_CA_POLICY = '1.3.6.1.4.1.99999.1.2';

/** What a CA following the profile puts into the certificate for one request. */
function plan(request: CrmfCertificateRequest, notBefore = new Date('2026-06-01T09:30:00Z')): IssuanceCandidate {
  const purpose = request.purpose!;
  const san = request.extensions.find((extension) => extension.extnID === '2.5.29.17');
  const extensions = [
    ext.authorityKeyIdentifier(pki.subCa.key.spki),
    ext.subjectKeyIdentifier(request.publicKey.spki),
    ext.keyUsage(purpose === 'enc' ? ['keyEncipherment', 'keyAgreement'] : ['digitalSignature']),
    ext.certificatePolicies([SUB_CA_POLICY]),
    ...(san ? [san] : []),
    ext.basicConstraints(false),
    ...(purpose === 'tls' ? [ext.extKeyUsage(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1'])] : []),
    ext.crlDistributionPoint('ldap://ldap.example.org/cn=Test-Sub.CA?certificateRevocationList'),
  ];
  return {
    subject: request.subjectDer,
    subjectPublicKeyInfo: request.publicKey.spki,
    validity: profileValidity(SM_PKI_PROFILES[`sm-user-${purpose}`]!, notBefore, issuer.notAfter),
    serialNumber: Buffer.from('4f3a9c0e8d7b6a5f4e3d2c1b0a998877', 'hex'),
    signatureHash: 'SHA-256',
    extensions: extensions.map((extension) => ({ oid: extension.extnID, critical: extension.critical, value: Buffer.from(extension.extnValue.buffer) })),
  };
}

function errorRules(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule))].sort();
}

describe('checkIssuanceRequest', () => {
  it('passes the certificates planned for the real initial request (ENC, SIG, TLS)', () => {
    expect(requests.map((request) => request.purpose)).toEqual(['enc', 'sig', 'tls']);
    for (const request of requests) {
      expect(checkIssuanceRequest(plan(request), { profile: `sm-user-${request.purpose}`, issuer })).toEqual({
        profile: `sm-user-${request.purpose}`,
        findings: [],
        ok: true,
      });
    }
  });

  it('refuses an EMT request under the gateway profile: SAN forbidden, no .SMGW', () => {
    const result = checkIssuanceRequest(plan(requests[1]!), { profile: 'sm-gateway-sig', issuer });
    expect(errorRules(result.findings)).toEqual(['ext.san.forbidden', 'name.cn.role']);
  });

  it('refuses a P-256 key for an end user (key.curve)', () => {
    const candidate = { ...plan(requests[1]!), subjectPublicKeyInfo: generateTestKey('P-256').spki };
    expect(errorRules(checkIssuanceRequest(candidate, { profile: 'sm-user-sig', issuer }).findings)).toEqual(['key.curve']);
  });

  it('refuses a validity beyond the issuer, and a hash the issuer curve does not use', () => {
    const late = plan(requests[1]!, new Date('2029-06-01T00:00:00Z'));
    const beyond = { ...late, validity: { notBefore: late.validity.notBefore, notAfter: new Date('2031-05-31T23:59:59Z') } };
    expect(errorRules(checkIssuanceRequest(beyond, { profile: 'sm-user-sig', issuer }).findings)).toEqual(['validity.within-issuer']);
    const sha384 = { ...plan(requests[1]!), signatureHash: 'SHA-384' as const };
    expect(errorRules(checkIssuanceRequest(sha384, { profile: 'sm-user-sig', issuer }).findings)).toEqual(['signature.hash']);
  });

  it('refuses a short serial number', () => {
    const candidate = { ...plan(requests[0]!), serialNumber: Buffer.from('01ff', 'hex') };
    expect(errorRules(checkIssuanceRequest(candidate, { profile: 'sm-user-enc', issuer }).findings)).toEqual(['serial.number']);
  });

  it('checks a TBSCertificate built for signing with the same rules', () => {
    const tbs = AsnConvert.parse(pki.user.tls.certificate, Certificate).tbsCertificate;
    expect(checkIssuanceRequest({ tbsCertificate: tbs }, { profile: 'sm-user-tls', issuer: pki.subCa.certificate }).findings).toEqual([]);
    const der = new Uint8Array(AsnConvert.serialize(tbs));
    expect(checkIssuanceRequest({ tbsCertificate: der }, { profile: 'sm-user-sig', issuer }).ok).toBe(false);
  });

  it('names an unknown profile and an unreadable candidate', () => {
    expect(checkIssuanceRequest(plan(requests[0]!), { profile: 'nope', issuer })).toMatchObject({ ok: false, findings: [{ rule: 'profile.unknown' }] });
    const broken = { ...plan(requests[0]!), subject: Buffer.from([0x30, 0x05, 0x01]) };
    expect(checkIssuanceRequest(broken, { profile: 'sm-user-enc', issuer })).toMatchObject({ ok: false, findings: [{ rule: 'certificate.malformed' }] });
  });
});

describe('profileValidity', () => {
  const user = SM_PKI_PROFILES['sm-user-sig']!;

  it('gives two calendar years ending at 23:59:59 UTC, as the real certificates run', () => {
    expect(profileValidity(user, new Date('2026-01-13T10:37:08.456Z'))).toEqual({
      notBefore: new Date('2026-01-13T10:37:08Z'),
      notAfter: new Date('2028-01-13T23:59:59Z'),
    });
  });

  it("is cut back to the issuer's notAfter, to the previous day's end when that is not at 23:59:59", () => {
    expect(profileValidity(user, new Date('2026-06-01T00:00:00Z'), new Date('2027-12-29T23:59:59Z')).notAfter).toEqual(new Date('2027-12-29T23:59:59Z'));
    expect(profileValidity(user, new Date('2026-06-01T00:00:00Z'), new Date('2027-06-01T12:00:00Z')).notAfter).toEqual(new Date('2027-05-31T23:59:59Z'));
  });

  it('keeps the exact time for profiles without end-of-day rule (meter: 8 years)', () => {
    expect(profileValidity(SM_PKI_PROFILES['meter-calibration']!, new Date('2026-02-28T08:00:00Z')).notAfter).toEqual(new Date('2034-02-28T08:00:00Z'));
  });
});
