/**
 * The values domain.md marks unconfirmed are options, checked when loaded: a deployment changes them in a file,
 * and a typo is refused at start-up with every problem named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintCertificate, loadSmPkiProfileOptionsFile, parseSmPkiProfileOptions, ProfileOptionsError, smPkiProfiles } from '@smpki/policy';
import { ext, generateTestKey, issueTestCertificate, name } from './support/test-certificates';
import { createTestPki } from './support/test-pki';

describe('SM-PKI profile options', () => {
  it('accepts every documented option and applies it', () => {
    const options = parseSmPkiProfileOptions({
      organizations: ['SM-PKI-DE'],
      policyOid: '0.4.0.127.0.7.3.4.1.1.1',
      root: { curves: ['brainpoolP512r1'], maxValidity: { years: 8 }, pathLen: 'any', notAfterEndOfDay: false },
      subCa: { curves: ['brainpoolP384r1'], maxValidity: { years: 5 } },
      crlSigner: { cnSuffix: '.CRL', keyUsage: ['cRLSign', 'digitalSignature'], maxValidity: { years: 3 } },
      link: { maxValidity: { years: 4 }, pathLen: 1 },
      endUser: { curves: ['brainpoolP256r1', 'brainpoolP384r1'], maxValidity: { years: 2 } },
      gateway: { maxValidity: { years: 3, months: 6 } },
      meter: { idAttribute: 'CN', idPattern: '^[0-9]{14}$', curves: ['P-256'], maxValidity: { years: 6 }, notAfterEndOfDay: true },
    });
    const profiles = smPkiProfiles(options);
    expect(profiles['sm-root-ca'].key.curves).toEqual(['brainpoolP512r1']);
    expect(profiles['sm-root-ca'].basicConstraints.pathLen).toBe('any');
    expect(profiles['sm-link'].validity.max).toEqual({ years: 4 });
    expect(profiles['sm-crl-signer'].naming.commonName.suffixes).toEqual(['.CRL']);
    expect(profiles['sm-gateway-tls'].validity.max).toEqual({ years: 3, months: 6 });
    expect(profiles['meter-calibration'].naming.meterId).toEqual({ attribute: 'CN', pattern: '^[0-9]{14}$' });
    expect(profiles['sm-user-sig'].naming.organizations).toEqual(['SM-PKI-DE']);
  });

  it('refuses unknown keys, unknown curves, bad patterns and bad OIDs, naming each', () => {
    let caught: unknown;
    try {
      parseSmPkiProfileOptions({ rootValidity: 3, root: { curves: ['secp256k1'] }, meter: { idPattern: '([' }, policyOid: 'smpki' }, 'site.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProfileOptionsError);
    const error = caught as ProfileOptionsError;
    expect(error.source).toBe('site.json');
    expect(error.problems).toHaveLength(4);
    expect(error.message).toMatch(/root\.curves\.0/);
    expect(error.message).toMatch(/meter\.idPattern: not a valid regular expression/);
    expect(error.message).toMatch(/policyOid/);
    expect(error.message).toMatch(/rootValidity/);
  });

  it('loads a file, and names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-profile-options-'));
    try {
      writeFileSync(join(dir, 'good.json'), JSON.stringify({ gateway: { maxValidity: { years: 5 } } }));
      expect(loadSmPkiProfileOptionsFile(join(dir, 'good.json'))).toEqual({ gateway: { maxValidity: { years: 5 } } });
      writeFileSync(join(dir, 'bad.json'), '{ gateway: ');
      expect(() => loadSmPkiProfileOptionsFile(join(dir, 'bad.json'))).toThrow(/bad\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unconfirmed value changes what the linter accepts: SMGW validity', () => {
    const pki = createTestPki();
    const key = generateTestKey('brainpoolP256r1');
    const gateway = issueTestCertificate({
      subject: name([['CN', 'EDNT0012345678.SMGW'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE']]),
      issuer: name([['CN', 'Test-Sub.CA'], ['O', 'SM-Test-PKI-DE'], ['C', 'DE'], ['serialNumber', '1']]),
      publicKey: key.spki,
      signingKey: pki.subCa.key,
      hash: 'SHA-256',
      notBefore: new Date('2026-03-01T10:00:00Z'),
      notAfter: new Date('2030-03-01T23:59:59Z'),
      extensions: [
        ext.authorityKeyIdentifier(pki.subCa.key.spki),
        ext.subjectKeyIdentifier(key.spki),
        ext.keyUsage(['digitalSignature']),
        ext.certificatePolicies(['1.2.3.4']),
        ext.basicConstraints(false),
        ext.crlDistributionPoint('ldap://ldap.example.org/cn=Test-Sub.CA?certificateRevocationList'),
      ],
    });
    expect(lintCertificate(gateway, { issuer: pki.subCa.certificate })).toEqual({ profile: 'sm-gateway-sig', findings: [], ok: true });
    const strict = smPkiProfiles({ gateway: { maxValidity: { years: 3 } } });
    const result = lintCertificate(gateway, { issuer: pki.subCa.certificate, profiles: strict });
    expect(result.findings.map((finding) => finding.rule)).toEqual(['validity.max']);
  });
});
