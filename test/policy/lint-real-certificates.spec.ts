/**
 * The real SM-PKI certificates (testdata/sm-pki-real, issued by CAs no one here runs) are the yardstick of the
 * profiles: each is recognised as what it is and passes with no finding at all.
 */
import { lintCertificate, readCertificateFacts, SM_PKI_PROFILES } from '@smpki/policy';
import { readReal } from './support/test-certificates';

describe('lintCertificate on real SM-PKI certificates', () => {
  it.each([
    ['tls.cer', 'sm-user-tls'],
    ['sig.cer', 'sm-user-sig'],
    ['enc.cer', 'sm-user-enc'],
    ['renewcert0.der', 'sm-user-sig'],
    ['renewcert1.der', 'sm-sub-ca'],
  ])('%s is recognised as %s and has no finding', (file, profile) => {
    expect(lintCertificate(readReal(file))).toEqual({ profile, findings: [], ok: true });
  });

  it('checks the old signature certificate against its real sub-CA: signature, names, key identifiers, validity', () => {
    const result = lintCertificate(readReal('renewcert0.der'), { issuer: readReal('renewcert1.der') });
    expect(result).toEqual({ profile: 'sm-user-sig', findings: [], ok: true });
  });

  it('reports a wrong issuer by the chaining rules', () => {
    // tls.cer was issued by DARZ.CA, not by MTG-Metering-Test-DE.CA.
    const result = lintCertificate(readReal('tls.cer'), { issuer: readReal('renewcert1.der') });
    expect(result.ok).toBe(false);
    expect(rules(result.findings)).toEqual(['ext.aki.matches-issuer', 'name.issuer-match', 'signature.hash', 'signature.valid', 'validity.within-issuer']);
  });

  it('lints a certificate against a profile it does not follow when told to', () => {
    const result = lintCertificate(readReal('sig.cer'), { profile: 'sm-user-enc' });
    expect(result.profile).toBe('sm-user-enc');
    expect(rules(result.findings)).toEqual(['ext.keyUsage.value']);
  });

  it('reads PEM as well as DER', () => {
    const pem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    expect(lintCertificate(pem(readReal('renewcert0.der')), { issuer: Buffer.from(pem(readReal('renewcert1.der'))) })).toEqual({ profile: 'sm-user-sig', findings: [], ok: true });
  });

  it('accepts facts read once, for linting many certificates against one issuer', () => {
    const issuer = readCertificateFacts(readReal('renewcert1.der'));
    expect(lintCertificate(readReal('renewcert0.der'), { issuer }).ok).toBe(true);
  });

  it('names an unknown profile and a malformed certificate', () => {
    expect(lintCertificate(readReal('tls.cer'), { profile: 'sm-nope' })).toMatchObject({ ok: false, findings: [{ rule: 'profile.unknown' }] });
    expect(lintCertificate(Buffer.from('not a certificate'))).toMatchObject({ ok: false, findings: [{ rule: 'certificate.malformed' }] });
    expect(lintCertificate(readReal('tls.cer'), { issuer: Buffer.from([0x30, 0x03, 0x02, 0x01]) })).toMatchObject({
      ok: false,
      findings: [{ rule: 'certificate.malformed', message: expect.stringContaining('issuer') }],
    });
  });

  it('ships every SM-PKI profile', () => {
    expect(Object.keys(SM_PKI_PROFILES).sort()).toEqual(
      ['meter-calibration', 'sm-crl-signer', 'sm-gateway-enc', 'sm-gateway-sig', 'sm-gateway-tls', 'sm-link', 'sm-root-ca', 'sm-sub-ca', 'sm-user-enc', 'sm-user-sig', 'sm-user-tls'],
    );
  });
});

function rules(findings: ReadonlyArray<{ rule: string }>): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}
