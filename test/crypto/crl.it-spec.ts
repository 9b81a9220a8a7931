/**
 * CRLs from the streaming encoder, checked by OpenSSL: `openssl crl` verifies full and delta CRLs, `openssl verify
 * -crl_check` reports a revoked certificate as revoked (and a good one as OK), delta CRLs are honoured with
 * `-extended_crl -use_deltas` (OpenSSL applies them only to certificates with a freshestCRL extension), and an indirect root CRL signed by a CRL-signer certificate works with
 * `-extended_crl` (without it OpenSSL ignores indirect CRLs: "unable to get certificate CRL").
 */
import {
  authorityKeyIdentifier,
  basicConstraints,
  encodeCrl,
  issueCertificate,
  keyUsage,
  parseCertificate,
  parseCrl,
  randomSerialNumber,
  subjectKeyIdentifier,
  toPem,
  type DistinguishedName,
  type RevokedCertificate,
} from '@smpki/crypto';
import { SoftwareSigner } from '../support/software-signer';
import { OpensslWorkspace } from './support/openssl';
import { DAY_MS, issueEndEntity, issueRoot, issueSubCa, subCaName, type IssuedTestCertificate } from './support/test-pki';

const MINUTE = 60_000;

describe('CRLs verified by openssl', () => {
  const workspace = new OpensslWorkspace();
  let root: IssuedTestCertificate;
  let sub: IssuedTestCertificate;
  let revoked: IssuedTestCertificate;
  let good: IssuedTestCertificate;
  let revokedInDelta: IssuedTestCertificate;

  beforeAll(async () => {
    root = await issueRoot(SoftwareSigner.generate('brainpoolP384r1'));
    sub = await issueSubCa(root, SoftwareSigner.generate('brainpoolP256r1'));
    revoked = await issueEndEntity(sub, SoftwareSigner.generate('brainpoolP256r1'));
    good = await issueEndEntity(sub, SoftwareSigner.generate('brainpoolP256r1'));
    revokedInDelta = await issueEndEntity(sub, SoftwareSigner.generate('brainpoolP256r1'), { deltaCrlUris: ['http://crl.test.invalid/sub-delta.crl'] });
    workspace.write('root.pem', root.pem);
    workspace.write('sub.pem', sub.pem);
    workspace.write('revoked.pem', revoked.pem);
    workspace.write('good.pem', good.pem);
    workspace.write('revoked-in-delta.pem', revokedInDelta.pem);
  });
  afterAll(() => workspace.remove());

  function times(now = Date.now()) {
    return { thisUpdate: new Date(now - MINUTE), nextUpdate: new Date(now + DAY_MS) };
  }

  async function subCaCrl(entries: RevokedCertificate[], extra: { crlNumber: number; deltaCrlIndicator?: number }) {
    const { der, entryCount } = await encodeCrl({ issuer: sub.certificate.subject.der, ...times(), ...extra }, entries, sub.signer);
    expect(entryCount).toBe(entries.length);
    return der;
  }

  it('writes a full CRL that openssl verifies and uses to report the revoked certificate', async () => {
    const crl = await subCaCrl(
      [
        { serialNumber: randomSerialNumber(), revocationDate: new Date(Date.now() - 2 * DAY_MS), reason: 'superseded' },
        { serialNumber: revoked.certificate.serialNumber, revocationDate: new Date(Date.now() - MINUTE), reason: 'keyCompromise', invalidityDate: new Date(Date.now() - DAY_MS) },
      ],
      { crlNumber: 7 },
    );
    workspace.write('full.pem', toPem(crl, 'X509 CRL'));
    expect(workspace.run(['crl', '-in', 'full.pem', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
    const text = workspace.run(['crl', '-in', 'full.pem', '-noout', '-text']).output;
    expect(text).toContain('Version 2 (0x1)');
    expect(text).toMatch(/X509v3 CRL Number: \s+7/);
    expect(text).toMatch(/X509v3 CRL Reason Code: \s+Key Compromise/);
    expect(text).toContain('Invalidity Date:');

    const revokedResult = workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'full.pem', 'revoked.pem']);
    expect(revokedResult.status).not.toBe(0);
    expect(revokedResult.output).toContain('certificate revoked');
    const goodResult = workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'full.pem', 'good.pem']);
    expect(goodResult.output).toContain('good.pem: OK');
  });

  it('writes a CRL without entries (revokedCertificates absent) that openssl accepts', async () => {
    const crl = await subCaCrl([], { crlNumber: 1 });
    expect(parseCrl(crl).entryCount()).toBe(0);
    workspace.write('empty.pem', toPem(crl, 'X509 CRL'));
    expect(workspace.run(['crl', '-in', 'empty.pem', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'empty.pem', 'revoked.pem']).status).toBe(0);
  });

  it('writes a delta CRL that openssl verifies and applies on top of its base CRL', async () => {
    const base = await subCaCrl([{ serialNumber: revoked.certificate.serialNumber, revocationDate: new Date(Date.now() - MINUTE) }], { crlNumber: 10 });
    const delta = await subCaCrl([{ serialNumber: revokedInDelta.certificate.serialNumber, revocationDate: new Date(Date.now() - MINUTE), reason: 'affiliationChanged' }], {
      crlNumber: 11,
      deltaCrlIndicator: 10,
    });
    workspace.write('base.pem', toPem(base, 'X509 CRL'));
    workspace.write('delta.pem', toPem(delta, 'X509 CRL'));
    expect(workspace.run(['crl', '-in', 'delta.pem', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['crl', '-in', 'delta.pem', '-noout', '-text']).output).toMatch(/X509v3 Delta CRL Indicator: critical\s+10/);
    const parsed = parseCrl(delta);
    expect(parsed.isDelta).toBe(true);
    expect(parsed.deltaCrlIndicator).toBe(10n);

    const args = ['verify', '-crl_check', '-extended_crl', '-use_deltas', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'base.pem', '-CRLfile', 'delta.pem'];
    const inDelta = workspace.run([...args, 'revoked-in-delta.pem']);
    expect(inDelta.output).toContain('certificate revoked');
    // Without the delta the same certificate passes: the revocation came from the delta CRL.
    expect(workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'base.pem', 'revoked-in-delta.pem']).status).toBe(0);
    expect(workspace.run([...args, 'good.pem']).output).toContain('good.pem: OK');
  });

  it('writes an indirect root CRL signed by a CRL signer that openssl applies with -extended_crl', async () => {
    const crlSignerName: DistinguishedName = [
      { type: 'CN', value: 'SM-Test-Root.CA.CRL-S' },
      { type: 'O', value: 'SM-Test-PKI-DE' },
      { type: 'C', value: 'DE' },
    ];
    const crlSignerKey = SoftwareSigner.generate('brainpoolP384r1');
    const crlSigner = parseCertificate(
      await issueCertificate(
        {
          serialNumber: randomSerialNumber(),
          issuer: root.certificate.subject.der,
          subject: crlSignerName,
          validity: { notBefore: new Date(Date.now() - MINUTE), notAfter: new Date(Date.now() + 365 * DAY_MS) },
          subjectPublicKeyInfo: crlSignerKey.publicKey.spki,
          extensions: [
            authorityKeyIdentifier(root.certificate.subjectKeyIdentifier()!),
            subjectKeyIdentifier({ spki: crlSignerKey.publicKey.spki }),
            keyUsage(['cRLSign']),
            basicConstraints({ ca: false }),
          ],
        },
        root.signer,
      ),
    );
    const uris = ['http://crl.test.invalid/SM-Test-Root.CA.crl'];
    const subA = await issueSubCa(root, SoftwareSigner.generate('brainpoolP256r1'), { crlUris: uris, crlIssuer: crlSignerName, name: subCaName('Sub-A.CA') });
    const subB = await issueSubCa(root, SoftwareSigner.generate('brainpoolP256r1'), { crlUris: uris, crlIssuer: crlSignerName, name: subCaName('Sub-B.CA') });
    const subC = await issueSubCa(root, SoftwareSigner.generate('brainpoolP256r1'), { crlUris: uris, crlIssuer: crlSignerName, name: subCaName('Sub-C.CA') });
    const rootIssuer = root.certificate.subject.der;
    const { der } = await encodeCrl(
      { issuer: crlSigner.subject.der, ...times(), crlNumber: 3, issuingDistributionPoint: { distributionPoint: uris, indirectCrl: true } },
      // Two root-issued entries: the second inherits certificateIssuer from the first (RFC 5280 5.3.3).
      [
        { serialNumber: subA.certificate.serialNumber, revocationDate: new Date(Date.now() - MINUTE), reason: 'cACompromise', certificateIssuer: rootIssuer },
        { serialNumber: subB.certificate.serialNumber, revocationDate: new Date(Date.now() - MINUTE), reason: 'cessationOfOperation', certificateIssuer: rootIssuer },
      ],
      crlSignerKey,
    );
    workspace.write('crl-signer.pem', crlSigner.toPem());
    workspace.write('indirect.pem', toPem(der, 'X509 CRL'));
    workspace.write('sub-a.pem', subA.pem);
    workspace.write('sub-b.pem', subB.pem);
    workspace.write('sub-c.pem', subC.pem);

    const parsed = parseCrl(der);
    expect(parsed.isIndirect).toBe(true);
    const entries = [...parsed.entries()];
    expect(entries[0]!.extensions.map((extension) => extension.oid)).toContain('2.5.29.29');
    expect(entries[1]!.extensions.map((extension) => extension.oid)).not.toContain('2.5.29.29');
    expect(entries.map((entry) => entry.certificateIssuer?.[0])).toEqual([
      expect.objectContaining({ type: 'directoryName' }),
      expect.objectContaining({ type: 'directoryName' }),
    ]);
    expect(workspace.run(['crl', '-in', 'indirect.pem', '-CAfile', 'crl-signer.pem', '-noout']).output).toContain('verify OK');

    const args = ['verify', '-crl_check', '-extended_crl', '-CAfile', 'root.pem', '-untrusted', 'crl-signer.pem', '-CRLfile', 'indirect.pem'];
    expect(workspace.run([...args, 'sub-a.pem']).output).toContain('certificate revoked');
    expect(workspace.run([...args, 'sub-b.pem']).output).toContain('certificate revoked');
    expect(workspace.run([...args, 'sub-c.pem']).output).toContain('sub-c.pem: OK');
    // Without -extended_crl, OpenSSL does not use indirect CRLs at all.
    const without = workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'crl-signer.pem', '-CRLfile', 'indirect.pem', 'sub-c.pem']);
    expect(without.output).toContain('unable to get certificate CRL');
  });

  it('streams entries from an async source in pages, as a database cursor returns them', async () => {
    async function* pages() {
      for (let page = 0; page < 5; page++) {
        yield Array.from({ length: 200 }, (_, i) => ({ serialNumber: BigInt(page * 200 + i + 1), revocationDate: new Date(Date.UTC(2026, 0, 1)), reason: 'superseded' as const }));
      }
      yield { serialNumber: revoked.certificate.serialNumber, revocationDate: new Date(Date.now() - MINUTE) };
    }
    const { der, entryCount } = await encodeCrl({ issuer: sub.certificate.subject.der, ...times(), crlNumber: 12 }, pages(), sub.signer);
    expect(entryCount).toBe(1001);
    workspace.write('paged.pem', toPem(der, 'X509 CRL'));
    expect(workspace.run(['crl', '-in', 'paged.pem', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'paged.pem', 'revoked.pem']).output).toContain('certificate revoked');
    const parsed = parseCrl(der);
    expect(parsed.entryCount()).toBe(1001);
    expect(parsed.verifySignature(sub.certificate)).toBe(true);
    expect(parsed.findEntry('03e8')).toMatchObject({ reason: 'superseded', revocationDate: new Date(Date.UTC(2026, 0, 1)) });
  });
});
