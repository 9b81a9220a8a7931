/**
 * The CRL settings of SMPKI_CA_CONFIG: defaults, a bad value named in one configuration line, and the CRL issuer of
 * an indirect CRL, which every certificate the CA issues names in its CRL distribution point.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertificateAuthority, parseCaConfig } from '@smpki/ca';
import { decodeCrlDistributionPoints } from '@smpki/crypto';
import { ConfigurationError } from '@smpki/platform';
import { issueEndEntity, issueRoot, issueSubCa, subCaName, type IssuedTestCertificate } from '../crypto/support/test-pki';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';

describe('SMPKI_CA_CONFIG CRL settings', () => {
  let hsm: TestKeyManager;
  let dir: string;
  let root: IssuedTestCertificate;
  let crlSigner: IssuedTestCertificate;
  const entry = (extra: object) => JSON.stringify({
    cas: [{ name: 'market', keyUri: 'pkcs11:object=market', certificateFile: 'ca.pem', profiles: ['sm-user-tls'], crlDistributionPoints: { http: 'http://crl.test.invalid/m.crl' }, crlValidityHours: 24, ...extra }],
  });

  beforeAll(async () => {
    hsm = await openTestKeyManager();
    await hsm.km.createEcKeyPair(hsm.uri('root'), 'brainpoolP256r1');
    dir = mkdtempSync(join(tmpdir(), 'smpki-ca-config-'));
    root = await issueRoot(await hsm.km.createSigner(hsm.uri('root')));
    writeFileSync(join(dir, 'ca.pem'), root.pem);
    // A CA certificate has cRLSign and so may sign CRLs; an end-entity certificate may not.
    await hsm.km.createEcKeyPair(hsm.uri('crl-signer'), 'brainpoolP256r1');
    crlSigner = await issueSubCa(root, await hsm.km.createSigner(hsm.uri('crl-signer')), { name: subCaName('Test-Root.CRL-S') });
    writeFileSync(join(dir, 'crl-signer.pem'), crlSigner.pem);
    writeFileSync(join(dir, 'end-entity.pem'), (await issueEndEntity(root, await hsm.km.createSigner(hsm.uri('crl-signer')))).pem);
  }, 30_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await hsm?.dispose();
  });

  it('defaults: delta CRLs valid 1 hour, re-issue 60 minutes before nextUpdate, no CRL on revocation', () => {
    expect(parseCaConfig(entry({}), dir)[0]).toMatchObject({ deltaCrlValidityHours: 1, crlReissueMarginMinutes: 60, crlOnRevocation: false });
    expect(parseCaConfig(entry({ deltaCrlValidityHours: 4, crlReissueMarginMinutes: 30, crlOnRevocation: true }), dir)[0])
      .toMatchObject({ deltaCrlValidityHours: 4, crlReissueMarginMinutes: 30, crlOnRevocation: true });
  });

  it.each([
    [{ deltaCrlValidityHours: 25 }, /cas\.0\.deltaCrlValidityHours must not exceed crlValidityHours/],
    [{ crlReissueMarginMinutes: 24 * 60 }, /cas\.0\.crlReissueMarginMinutes must be shorter than crlValidityHours/],
    [{ crlOnRevocation: 'yes' }, /cas\.0\.crlOnRevocation/],
  ])('refuses %j naming the setting', (extra, message) => {
    expect(() => parseCaConfig(entry(extra), dir)).toThrow(ConfigurationError);
    expect(() => parseCaConfig(entry(extra), dir)).toThrow(message);
  });

  it('crlIssuerCertificateFile: the CA names the CRL signer as cRLIssuer in every CRL distribution point it issues', async () => {
    const [config] = parseCaConfig(entry({ crlIssuerCertificateFile: 'crl-signer.pem' }), dir);
    expect(config!.crlIssuer?.equals(crlSigner.certificate.subject.der)).toBe(true);
    const ca = new CertificateAuthority('id', config!, await hsm.km.createSigner(hsm.uri('root')));
    const [point] = decodeCrlDistributionPoints(ca.issuerExtensions.crlDistributionPoints.value);
    expect(point!.crlIssuer).toHaveLength(1);
    expect(point!.crlIssuer![0]!.type === 'directoryName' && point!.crlIssuer![0]!.value.get('CN')).toBe('Test-Root.CRL-S');
    expect(JSON.stringify(point)).toContain('http://crl.test.invalid/m.crl');
  });

  it('without crlIssuerCertificateFile the distribution point has no cRLIssuer (the CA signs its own CRL)', async () => {
    const [config] = parseCaConfig(entry({}), dir);
    expect(config!.crlIssuer).toBeUndefined();
    const ca = new CertificateAuthority('id', config!, await hsm.km.createSigner(hsm.uri('root')));
    expect(decodeCrlDistributionPoints(ca.issuerExtensions.crlDistributionPoints.value)[0]!.crlIssuer).toBeUndefined();
  });

  it.each([
    ['end-entity.pem', /CA "market" crlIssuerCertificateFile: .*without the key usage cRLSign/],
    ['missing.pem', /CA "market" crlIssuerCertificateFile: cannot read/],
  ])('refuses crlIssuerCertificateFile %s naming the setting', (file, message) => {
    expect(() => parseCaConfig(entry({ crlIssuerCertificateFile: file }), dir)).toThrow(message);
  });
});
