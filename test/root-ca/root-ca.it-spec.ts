/**
 * The offline root CA against SoftHSM2 and a SQLite file, OpenSSL as the oracle: key ceremony (profile, signed
 * transcript, no overwrite), sub-CA certification, root CRL with a revoked sub-CA, and a rollover that relying
 * parties cross through the link certificates in both directions. Sub-CAs are certified from PKCS#10 and from
 * SM-PKI CRMF; a rollover of a root with an indirect CRL gives the new generation its own CRL signer.
 */
import { AuditEvent, AuditTrail } from '@smpki/audit';
import { CaAuthority, CaCertificate, parseCeremonyFile, RootCa, verifyCeremonyTranscript, type CeremonyResult } from '@smpki/ca';
import { parseCertificate, toPem } from '@smpki/crypto';
import { ProblemException } from '@smpki/platform';
import { lintCertificate } from '@smpki/policy';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';
import { OpensslWorkspace } from '../crypto/support/openssl';
import { sqliteTestDatabase, type TestDatabase } from '../persistence/support/test-databases';
import { opensslRequest } from '../ca/support/ca-test-pki';
import { ceremonyFile } from './support/ceremony-file';
import { subCaCrmfRequest } from './support/crmf-request';

const OPERATOR = 'CN=ceremony-officer-1';
const SUB_CA_SUBJECT = '/CN=Test-Metering.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1';

async function refusal(promise: Promise<unknown>, status: number, rule: string): Promise<void> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ProblemException);
  const document = (error as ProblemException).asProblemDocument();
  expect({ status: document.status, rules: document.errors?.map((e) => e.rule) }).toEqual({ status, rules: [rule] });
}

describe('offline root CA', () => {
  jest.setTimeout(60_000);
  let hsm: TestKeyManager;
  let db: TestDatabase;
  let workspace: OpensslWorkspace;
  let rootCa: RootCa;
  let root: CeremonyResult;

  beforeAll(async () => {
    hsm = await openTestKeyManager();
    db = await sqliteTestDatabase();
    workspace = new OpensslWorkspace();
    rootCa = new RootCa(hsm.km, db.dataSource, new AuditTrail(db.dataSource, { service: 'root-ca' }));
    root = await rootCa.ceremony(parseCeremonyFile(ceremonyFile(hsm.uri('root-1'))), OPERATOR);
    workspace.write('root.pem', root.certificate.toPem());
  }, 60_000);
  afterAll(async () => {
    await db?.remove();
    await hsm?.dispose();
    workspace?.remove();
  });

  const text = (file: string) => workspace.run(['x509', '-in', file, '-noout', '-text']).output;

  it('ceremony: self-signed brainpoolP384r1 root after sm-root-ca, lint clean, openssl shows the profile', () => {
    const output = text('root.pem');
    expect(output).toContain('Signature Algorithm: ecdsa-with-SHA384');
    expect(output).toContain('ASN1 OID: brainpoolP384r1');
    expect(output).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    expect(output).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(output).toContain('X509v3 Subject Key Identifier');
    expect(output).toContain('Policy: 0.4.0.127.0.7.3.4.1.1.1');
    expect(output).toContain('Subject: CN = SM-Test-Root.CA, O = SM-Test-PKI-DE, C = DE, serialNumber = 1');
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', 'root.pem']).output).toContain('root.pem: OK');
    expect(lintCertificate(root.certificate.der, { profile: 'sm-root-ca' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(root.certificate.notAfter.toISOString()).toMatch(/T23:59:59\.000Z$/);
  });

  it('ceremony: transcript signed by the root key, in the audit trail with key URI, fingerprint and file digest', async () => {
    const file = ceremonyFile(hsm.uri('root-1'));
    const { transcript } = root;
    expect(transcript.transcript).toMatchObject({
      operator: OPERATOR,
      keyUri: hsm.uri('root-1'),
      certificateSha256: root.certificate.fingerprint(),
      ceremonyFileSha256: parseCeremonyFile(file).fileSha256,
    });
    expect(verifyCeremonyTranscript(transcript, root.certificate)).toBe(true);
    const tampered = { ...transcript, transcript: { ...transcript.transcript, operator: 'CN=someone-else' } };
    expect(verifyCeremonyTranscript(tampered, root.certificate)).toBe(false);
    const event = await db.dataSource.getRepository(AuditEvent).findOneOrFail({ where: { action: 'root-ca.ceremony' } });
    expect(event.actor).toBe(OPERATOR);
    expect(JSON.stringify(event.details)).toContain(root.certificate.fingerprint());
    expect((await db.dataSource.getRepository(CaAuthority).findOneOrFail({ where: { name: 'test-root-1' } })).keyUri).toBe(hsm.uri('root-1'));
  });

  it('ceremony: refuses an existing key URI and a bad ceremony file, generating nothing', async () => {
    const keysBefore = (await hsm.km.listKeys()).length;
    await refusal(rootCa.ceremony(parseCeremonyFile(ceremonyFile(hsm.uri('root-1'), { name: 'other-root' })), OPERATOR), 409, 'ceremony.key-exists');
    await refusal(rootCa.ceremony(parseCeremonyFile(ceremonyFile(hsm.uri('root-x'))), OPERATOR), 409, 'ceremony.name-exists');
    expect(() => parseCeremonyFile(ceremonyFile(hsm.uri('r'), { curve: 'P-256' }))).toThrow(/curve/);
    expect(() => parseCeremonyFile('{')).toThrow(ProblemException);
    expect((await hsm.km.listKeys()).length).toBe(keysBefore);
  });

  it('ceremony: brainpoolP512r1 root signs with ecdsa-with-SHA512', async () => {
    const bp512 = await rootCa.ceremony(parseCeremonyFile(ceremonyFile(hsm.uri('root-512'), { name: 'test-root-512', curve: 'brainpoolP512r1' })), OPERATOR);
    workspace.write('root512.pem', bp512.certificate.toPem());
    expect(text('root512.pem')).toContain('Signature Algorithm: ecdsa-with-SHA512');
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root512.pem', 'root512.pem']).output).toContain('OK');
    expect(lintCertificate(bp512.certificate.der, { profile: 'sm-root-ca' }).ok).toBe(true);
  });

  it('certifies a sub-CA from PKCS#10 (pathLen 0, within the root); revokes it; the root CRL verifies and reports it', async () => {
    const request = opensslRequest(workspace, 'sub', { subject: SUB_CA_SUBJECT, extensions: [] });
    const sub = await rootCa.certify('test-root-1', request, OPERATOR);
    workspace.write('sub.pem', sub.pem);
    expect(text('sub.pem')).toMatch(/CA:TRUE, pathlen:0/);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', 'sub.pem']).output).toContain('sub.pem: OK');
    expect(lintCertificate(sub.der, { profile: 'sm-sub-ca', issuer: root.certificate.der }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(sub.notAfter.getTime()).toBeLessThanOrEqual(root.certificate.notAfter.getTime());

    await rootCa.revoke('test-root-1', sub.serial, 'cACompromise', OPERATOR);
    const crl = await rootCa.crl('test-root-1', OPERATOR);
    workspace.write('root-crl.pem', toPem(crl.der, 'X509 CRL'));
    expect(workspace.run(['crl', '-in', 'root-crl.pem', '-CAfile', 'root.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-extended_crl', '-CAfile', 'root.pem', '-CRLfile', 'root-crl.pem', 'sub.pem']).output).toContain('certificate revoked');
  });

  it('indirect root CRL: CRL signer certified by the root, cRLIssuer in the sub-CA, openssl reports the revoked sub-CA', async () => {
    const indirect = await rootCa.ceremony(
      parseCeremonyFile(ceremonyFile(hsm.uri('root-ind'), {
        name: 'test-root-ind',
        subject: [{ type: 'CN', value: 'SM-Test-Ind-Root.CA' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }],
        crl: {
          http: 'http://crl.test.invalid/ind-root.crl',
          signer: { keyUri: hsm.uri('root-ind-crl'), subject: [{ type: 'CN', value: 'SM-Test-Ind-Root.CRL-S' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }] },
        },
      })),
      OPERATOR,
    );
    expect(indirect.crlSigner).toBeDefined();
    workspace.write('ind-root.pem', indirect.certificate.toPem());
    workspace.write('crl-signer.pem', indirect.crlSigner!.toPem());
    expect(text('crl-signer.pem')).toMatch(/X509v3 Key Usage: critical\s+CRL Sign\n/);
    expect(lintCertificate(indirect.crlSigner!.der, { profile: 'sm-crl-signer', issuer: indirect.certificate.der }).findings.filter((f) => f.severity === 'error')).toEqual([]);

    const sub = await rootCa.certify('test-root-ind', opensslRequest(workspace, 'ind-sub', { subject: SUB_CA_SUBJECT, extensions: [] }), OPERATOR);
    workspace.write('ind-sub.pem', sub.pem);
    expect(workspace.run(['x509', '-in', 'ind-sub.pem', '-noout', '-ext', 'crlDistributionPoints']).output).toMatch(/CRL Issuer:\s+DirName:CN = SM-Test-Ind-Root.CRL-S/);
    await rootCa.revoke('test-root-ind', sub.serial, 'cACompromise', OPERATOR);
    const crl = await rootCa.crl('test-root-ind', OPERATOR);
    workspace.write('ind-crl.pem', toPem(crl.der, 'X509 CRL'));
    const crlText = workspace.run(['crl', '-in', 'ind-crl.pem', '-noout', '-text']).output;
    expect(crlText).toContain('Issuer: CN = SM-Test-Ind-Root.CRL-S');
    expect(crlText).toContain('Indirect CRL');
    expect(crlText).toContain('DirName:/CN=SM-Test-Ind-Root.CA/');
    expect(workspace.run(['crl', '-in', 'ind-crl.pem', '-CAfile', 'crl-signer.pem', '-noout']).output).toContain('verify OK');
    const verify = ['verify', '-crl_check', '-extended_crl', '-CAfile', 'ind-root.pem', '-untrusted', 'crl-signer.pem', '-CRLfile', 'ind-crl.pem', 'ind-sub.pem'];
    expect(workspace.run(verify).output).toContain('certificate revoked');
  });

  it('certifies a sub-CA from an SM-PKI CRMF initial request (proof of possession verified); openssl verifies the chain', async () => {
    const sub = await rootCa.certify('test-root-1', await subCaCrmfRequest(), OPERATOR);
    workspace.write('crmf-sub.pem', sub.pem);
    expect(sub.profile).toBe('sm-sub-ca');
    expect(text('crmf-sub.pem')).toMatch(/CA:TRUE, pathlen:0/);
    expect(text('crmf-sub.pem')).toContain('Subject: CN = Test-Crmf.CA, O = SM-Test-PKI-DE, C = DE, serialNumber = 1');
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', 'crmf-sub.pem']).output).toContain('crmf-sub.pem: OK');
    expect(lintCertificate(sub.der, { profile: 'sm-sub-ca', issuer: root.certificate.der }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const event = await db.dataSource.getRepository(AuditEvent).findOneOrFail({ where: { action: 'ca.certificate.issue', target: `test-root-1/${sub.serial}` } });
    const details: unknown = typeof event.details === 'string' ? JSON.parse(event.details) : event.details;
    expect(details).toMatchObject({ source: 'crmf-initial', profile: 'sm-sub-ca' });
    // The same request as base64 text (how SM-PKI request files often come) is recognised as CRMF too.
    const again = await rootCa.certify('test-root-1', Buffer.from((await subCaCrmfRequest()).toString('base64')), OPERATOR);
    expect(again.profile).toBe('sm-sub-ca');
  });

  it('refuses a bad CRMF sub-CA request naming the rule, signing and storing nothing', async () => {
    const stored = await db.dataSource.getRepository(CaCertificate).count();
    await refusal(rootCa.certify('test-root-1', await subCaCrmfRequest({ tamperPop: true }), OPERATOR), 400, 'crmf.pop-invalid');
    await refusal(rootCa.certify('test-root-1', await subCaCrmfRequest({ curve: 'secp256k1' }), OPERATOR), 400, 'key.curve-not-allowed');
    await refusal(rootCa.certify('test-root-1', await subCaCrmfRequest({ requests: 2 }), OPERATOR), 400, 'crmf.malformed');
    const notACa = [{ type: 'CN', value: 'Not-A-Sub-CA' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }];
    await refusal(rootCa.certify('test-root-1', await subCaCrmfRequest({ subject: notACa }), OPERATOR), 422, 'name.cn.suffix');
    expect(await db.dataSource.getRepository(CaCertificate).count()).toBe(stored);
  });

  it('refuses a bad sub-CA request naming the rule, storing nothing', async () => {
    const stored = await db.dataSource.getRepository(CaCertificate).count();
    await refusal(rootCa.certify('test-root-1', opensslRequest(workspace, 'k1', { curve: 'secp256k1', subject: SUB_CA_SUBJECT, extensions: [] }), OPERATOR), 400, 'key.curve-not-allowed');
    const wrongName = opensslRequest(workspace, 'noca', { subject: '/CN=Not-A-Sub-CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] });
    await refusal(rootCa.certify('test-root-1', wrongName, OPERATOR), 422, 'name.cn.suffix');
    await refusal(rootCa.certify('no-such-root', wrongName, OPERATOR), 404, 'rootca.unknown');
    await refusal(rootCa.certify('test-root-1', wrongName, OPERATOR, 'sm-user-tls'), 422, 'profile.not-allowed');
    expect(await db.dataSource.getRepository(CaCertificate).count()).toBe(stored);
  });

  it('rollover: generation 2 with link certificates; openssl accepts chains across the rollover both ways', async () => {
    const rollover = await rootCa.rollover({ from: 'test-root-1', name: 'test-root-2', keyUri: hsm.uri('root-2') }, OPERATOR);
    expect(rollover.root.subject.get('serialNumber')).toBe('2');
    expect(rollover.root.subject.get('CN')).toBe('SM-Test-Root.CA');
    expect(verifyCeremonyTranscript(rollover.transcript, rollover.root)).toBe(true);
    workspace.write('root2.pem', rollover.root.toPem());
    workspace.write('new-with-old.pem', rollover.newWithOld.toPem());
    workspace.write('old-with-new.pem', rollover.oldWithNew.toPem());
    for (const link of [rollover.newWithOld, rollover.oldWithNew]) {
      expect(lintCertificate(link.der, { profile: 'sm-link' }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    }

    const subNew = await rootCa.certify('test-root-2', opensslRequest(workspace, 'sub-new', { subject: SUB_CA_SUBJECT, extensions: [] }), OPERATOR);
    const subOld = await rootCa.certify('test-root-1', opensslRequest(workspace, 'sub-old', { subject: '/CN=Test-Other.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] }), OPERATOR);
    workspace.write('sub-new.pem', subNew.pem);
    workspace.write('sub-old.pem', subOld.pem);
    // Relying parties still trusting only the old root accept what the new root signs, through new-with-old.
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'new-with-old.pem', 'sub-new.pem']).output).toContain('sub-new.pem: OK');
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', 'sub-new.pem']).output).not.toContain('sub-new.pem: OK');
    // Those already on the new root accept the old root's sub-CAs, through old-with-new.
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root2.pem', '-untrusted', 'old-with-new.pem', 'sub-old.pem']).output).toContain('sub-old.pem: OK');
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root2.pem', 'root2.pem']).output).toContain('OK');
    expect(parseCertificate(subNew.der).issuer.get('serialNumber')).toBe('2');
    expect(await db.dataSource.getRepository(AuditEvent).count({ where: { action: 'root-ca.rollover' } })).toBe(1);
  });
  it('rollover of a root with an indirect CRL: the new generation gets its own CRL signer; both CRLs verify and report revocations', async () => {
    const rollover = await rootCa.rollover({ from: 'test-root-ind', name: 'test-root-ind-2', keyUri: hsm.uri('root-ind-2') }, OPERATOR);
    expect(rollover.crlSigner).toBeDefined();
    expect(await hsm.km.findKey(hsm.uri('root-ind-2-crl'))).toBeTruthy();
    workspace.write('ind-root2.pem', rollover.root.toPem());
    workspace.write('ind-new-with-old.pem', rollover.newWithOld.toPem());
    workspace.write('crl-signer2.pem', rollover.crlSigner!.toPem());
    expect(rollover.crlSigner!.subject.get('CN')).toBe('SM-Test-Ind-Root.CRL-S');
    expect(rollover.crlSigner!.subject.get('serialNumber')).toBe('2');
    expect(rollover.crlSigner!.issuer.der.equals(rollover.root.subject.der)).toBe(true);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'ind-root2.pem', 'crl-signer2.pem']).output).toContain('crl-signer2.pem: OK');
    expect(lintCertificate(rollover.crlSigner!.der, { profile: 'sm-crl-signer', issuer: rollover.root.der }).findings.filter((f) => f.severity === 'error')).toEqual([]);

    // A sub-CA of the new generation points to the new signer's indirect CRL.
    const subNew = await rootCa.certify('test-root-ind-2', opensslRequest(workspace, 'ind2-sub', { subject: SUB_CA_SUBJECT, extensions: [] }), OPERATOR);
    workspace.write('ind2-sub.pem', subNew.pem);
    expect(workspace.run(['x509', '-in', 'ind2-sub.pem', '-noout', '-ext', 'crlDistributionPoints']).output).toMatch(/CRL Issuer:\s+DirName:CN = SM-Test-Ind-Root.CRL-S, O = SM-Test-PKI-DE, C = DE, serialNumber = 2/);
    await rootCa.revoke('test-root-ind-2', subNew.serial, 'cACompromise', OPERATOR);
    const crlNew = await rootCa.crl('test-root-ind-2', OPERATOR);
    workspace.write('ind2-crl.pem', toPem(crlNew.der, 'X509 CRL'));
    const crlText = workspace.run(['crl', '-in', 'ind2-crl.pem', '-noout', '-text']).output;
    expect(crlText).toContain('Issuer: CN = SM-Test-Ind-Root.CRL-S, O = SM-Test-PKI-DE, C = DE, serialNumber = 2');
    expect(crlText).toContain('Indirect CRL');
    expect(workspace.run(['crl', '-in', 'ind2-crl.pem', '-CAfile', 'crl-signer2.pem', '-noout']).output).toContain('verify OK');
    const verifyNew = ['verify', '-crl_check', '-extended_crl', '-CAfile', 'ind-root2.pem', '-untrusted', 'crl-signer2.pem', '-CRLfile', 'ind2-crl.pem', 'ind2-sub.pem'];
    expect(workspace.run(verifyNew).output).toContain('certificate revoked');

    // The old generation keeps its own signer and its indirect CRL after the rollover.
    const subOld = await rootCa.certify('test-root-ind', opensslRequest(workspace, 'ind1-sub', { subject: '/CN=Test-Other.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] }), OPERATOR);
    workspace.write('ind1-sub.pem', subOld.pem);
    expect(workspace.run(['x509', '-in', 'ind1-sub.pem', '-noout', '-ext', 'crlDistributionPoints']).output).toMatch(/CRL Issuer:\s+DirName:CN = SM-Test-Ind-Root.CRL-S, O = SM-Test-PKI-DE, C = DE, serialNumber = 1/);
    await rootCa.revoke('test-root-ind', subOld.serial, 'keyCompromise', OPERATOR);
    const crlOld = await rootCa.crl('test-root-ind', OPERATOR);
    workspace.write('ind1-crl.pem', toPem(crlOld.der, 'X509 CRL'));
    expect(workspace.run(['crl', '-in', 'ind1-crl.pem', '-CAfile', 'crl-signer.pem', '-noout']).output).toContain('verify OK');
    const verifyOld = ['verify', '-crl_check', '-extended_crl', '-CAfile', 'ind-root.pem', '-untrusted', 'crl-signer.pem', '-CRLfile', 'ind1-crl.pem', 'ind1-sub.pem'];
    expect(workspace.run(verifyOld).output).toContain('certificate revoked');
    // A good sub-CA of the new generation passes the CRL check, reached from the old root through new-with-old.
    const good = await rootCa.certify('test-root-ind-2', opensslRequest(workspace, 'ind2-good', { subject: '/CN=Test-Good.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] }), OPERATOR);
    workspace.write('ind2-good.pem', good.pem);
    const crossed = ['verify', '-crl_check', '-extended_crl', '-CAfile', 'ind-root.pem', '-untrusted', 'ind-new-with-old.pem', '-untrusted', 'crl-signer2.pem', '-CRLfile', 'ind2-crl.pem', 'ind2-good.pem'];
    expect(workspace.run(crossed).output).toContain('ind2-good.pem: OK');
  });

  it('rollover of a root with an indirect CRL refuses a taken CRL-signer key before generating anything', async () => {
    const keysBefore = (await hsm.km.listKeys()).length;
    await refusal(rootCa.rollover({ from: 'test-root-ind', name: 'test-root-ind-3', keyUri: hsm.uri('root-ind-3'), crlSignerKeyUri: hsm.uri('root-ind-crl') }, OPERATOR), 409, 'ceremony.key-exists');
    expect((await hsm.km.listKeys()).length).toBe(keysBefore);
    expect(await db.dataSource.getRepository(CaAuthority).exists({ where: { name: 'test-root-ind-3' } })).toBe(false);
  });
});
