/**
 * The sub-CA core against one database (ca-issuance.sqlite.it-spec.ts, ca-issuance.postgres.it-spec.ts): issuance
 * from an `openssl req` CSR and from the real SM-PKI initial request, checked by `openssl verify` and the linter;
 * renewal requests signed with an old signature key (refused once it is expired or revoked); revocation, full
 * and delta CRLs OpenSSL accepts, re-issued before nextUpdate, numbered without gaps or repeats also when
 * several publishers race; every bad input refused with its rule and nothing stored.
 */
import { readFileSync } from 'node:fs';
import { AuditEvent, AuditTrail } from '@smpki/audit';
import { CaCertificate, CaCrl, CaRegistry, PublicationOutbox, CertificateIssuer, CertificateLookup, CertificateRevoker, CrlPublisher, CrlReissueScheduler } from '@smpki/ca';
import { encodeName, parseCrl } from '@smpki/crypto';
import { ProblemException } from '@smpki/platform';
import { lintCertificate, SM_PKI_PROFILES } from '@smpki/policy';
import type { TestDatabaseFactory, TestDatabase } from '../../persistence/support/test-databases';
import { createCaTestPki, opensslRequest, type CaTestPki } from './ca-test-pki';
import { opensslKey, renewalRequest } from './renewal-request';

const INIT_CRMF = Buffer.from(readFileSync('/work/shared/testdata/sm-pki-real/init.crmf', 'latin1'), 'base64');
const RENEW_CRMF = Buffer.from(readFileSync('/work/shared/testdata/sm-pki-real/renew.crmf', 'latin1'), 'base64');
const SIG_SAN = ['subjectAltName=email:maco@company.invalid,URI:https://maco.company.invalid/'];
const REQUESTER = 'CN=operator-1';

/** Awaits a refusal and returns its problem document, checking status and that a rule of that name is listed. */
async function refusal(promise: Promise<unknown>, status: number, rule: string): Promise<ReturnType<ProblemException['asProblemDocument']>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProblemException);
  const document = (error as ProblemException).asProblemDocument();
  expect({ status: document.status, rules: document.errors?.map((e) => e.rule) }).toEqual({ status, rules: expect.arrayContaining([rule]) });
  return document;
}

export function caIssuanceSuite(openDatabase: TestDatabaseFactory): void {
  // openssl key generation (RSA) and HSM signing slow down when the whole CI runs on two cores.
  jest.setTimeout(30_000);
  let pki: CaTestPki;
  let db: TestDatabase;
  let issuer: CertificateIssuer;
  let revoker: CertificateRevoker;
  let lookup: CertificateLookup;
  let crls: CrlPublisher;
  let registry: CaRegistry;
  let audit: AuditTrail;

  beforeAll(async () => {
    pki = await createCaTestPki();
    db = await openDatabase();
    audit = new AuditTrail(db.dataSource, { service: 'sub-ca' });
    registry = await CaRegistry.open(pki.configs, pki.hsm.km, db.dataSource);
    issuer = new CertificateIssuer(registry, db.dataSource, audit);
    crls = new CrlPublisher(registry, db.dataSource, audit);
    // The market CA is configured with crlOnRevocation: a revocation there signs a new full CRL.
    revoker = new CertificateRevoker(registry, db.dataSource, audit, (ca) => crls.issueCrl(ca, REQUESTER));
    lookup = new CertificateLookup(registry, db.dataSource);
  }, 60_000);
  afterAll(async () => {
    await db?.remove();
    await pki?.dispose();
  });

  const certificateCount = () => db.dataSource.getRepository(CaCertificate).count();
  const auditActions = async (action: string) => db.dataSource.getRepository(AuditEvent).count({ where: { action } });

  function opensslVerify(name: string, pem: string, crl?: string): string {
    pki.workspace.write(`${name}.pem`, pem);
    const args = ['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'sub.pem'];
    if (crl) args.push('-crl_check', '-CRLfile', crl);
    return pki.workspace.run([...args, `${name}.pem`]).output;
  }

  it('issues from an openssl CSR a certificate that openssl verifies and the linter passes, stored and audited', async () => {
    const before = await auditActions('ca.certificate.issue');
    const issued = await issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, 'tls'), REQUESTER);
    expect(opensslVerify('issued-tls', issued.pem)).toContain('issued-tls.pem: OK');
    const lint = lintCertificate(issued.der, { profile: 'sm-user-tls', issuer: pki.sub.der });
    expect(lint.findings).toEqual([]);
    expect(issued.serial).toMatch(/^[0-9a-f]{32}$/);
    expect(issued.chain).toEqual([pki.sub.pem, pki.root.pem]);
    expect(issued.notAfter.toISOString()).toMatch(/T23:59:59\.000Z$/);
    expect((await lookup.find('market', issued.serial.toUpperCase())).fingerprint).toBe(issued.fingerprint);
    expect(await auditActions('ca.certificate.issue')).toBe(before + 1);
    // CDP (LDAP + HTTP) and AIA as configured.
    const text = pki.workspace.run(['x509', '-in', 'issued-tls.pem', '-noout', '-ext', 'crlDistributionPoints,authorityInfoAccess']).output;
    expect(text).toContain('URI:ldap://ldap.test.invalid/');
    expect(text).toContain('URI:http://crl.test.invalid/market.crl');
    expect(text).toContain('CA Issuers - URI:http://pki.test.invalid/market.cer');
  });

  it('issues the three certificates of the real SM-PKI initial request (init.crmf), each verified and linted', async () => {
    const issued = await issuer.issueFromInitialRequest('market', INIT_CRMF, REQUESTER);
    expect(issued.map((certificate) => certificate.profile)).toEqual(['sm-user-enc', 'sm-user-sig', 'sm-user-tls']);
    for (const [index, certificate] of issued.entries()) {
      expect(opensslVerify(`crmf-${index}`, certificate.pem)).toContain(`crmf-${index}.pem: OK`);
      expect(lintCertificate(certificate.der, { profile: certificate.profile, issuer: pki.sub.der }).findings).toEqual([]);
      expect(certificate.subject).toContain('CN=Company-Test.EMT.MAK');
    }
  });

  it('revokes a certificate; the CRL verifies with openssl crl and openssl verify -crl_check reports it revoked', async () => {
    const issued = await issuer.issueFromPkcs10('market', 'sm-user-sig', opensslRequest(pki.workspace, 'sig', {
      extensions: ['subjectAltName=email:maco@company.invalid,URI:https://maco.company.invalid/'],
    }), REQUESTER);
    const invalidityDate = new Date(Date.now() - 86_400_000);
    const revoked = await revoker.revoke('market', issued.serial, { reason: 'keyCompromise', invalidityDate }, REQUESTER);
    expect(revoked.status).toBe('revoked');
    await refusal(revoker.revoke('market', issued.serial, { reason: 'superseded' }, REQUESTER), 409, 'certificate.already-revoked');

    const first = await crls.issueCrl('market', REQUESTER);
    const second = await crls.issueCrl('market', REQUESTER);
    expect(second.crlNumber).toBe(first.crlNumber + 1);
    expect((await crls.currentCrl('market')).crlNumber).toBe(second.crlNumber);
    const parsed = parseCrl(second.der);
    expect(parsed.verifySignature(pki.sub.certificate)).toBe(true);
    const entries = [...parsed.entries()];
    expect(entries.map((entry) => entry.serialNumber.toString('hex'))).toContain(issued.serial);

    pki.workspace.write('market.crl', second.der);
    pki.workspace.runBinary(['crl', '-inform', 'DER', '-in', 'market.crl', '-out', 'market-crl.pem']);
    expect(pki.workspace.run(['crl', '-in', 'market-crl.pem', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
    expect(opensslVerify('revoked', issued.pem, 'market-crl.pem')).toContain('certificate revoked');
    await refusal(revoker.revoke('market', 'ab'.repeat(16), { reason: 'keyCompromise' }, REQUESTER), 404, 'certificate.unknown');
    expect(await auditActions('ca.certificate.revoke')).toBeGreaterThanOrEqual(1);
    expect(await auditActions('ca.crl.publish')).toBeGreaterThanOrEqual(2);
  });

  it('enqueues every change the directory must show in the publication outbox: issuance, revocation, CRL', async () => {
    const issued = await issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, 'outbox-tls'), REQUESTER);
    await revoker.revoke('market', issued.serial, { reason: 'keyCompromise' }, REQUESTER);
    const crl = await crls.issueCrl('market', REQUESTER);
    const outbox = db.dataSource.getRepository(PublicationOutbox);
    const forCertificate = await outbox.find({ where: { ca: 'market', serial: issued.serial } });
    expect(forCertificate.map((row) => row.kind)).toEqual(['certificate', 'certificate']);
    expect(await outbox.count({ where: { ca: 'market', kind: 'crl', crlNumber: crl.crlNumber } })).toBe(1);
    // A refused second revocation changes nothing, so it enqueues nothing either.
    await expect(revoker.revoke('market', issued.serial, { reason: 'keyCompromise' }, REQUESTER)).rejects.toThrow('already revoked');
    expect(await outbox.count({ where: { ca: 'market', serial: issued.serial } })).toBe(2);
  });

  it('keeps CRL numbers per CA: the calibration CA starts at 1 with an empty CRL', async () => {
    const crl = await crls.currentCrl('calibration');
    expect(crl.crlNumber).toBe(1);
    expect(parseCrl(crl.der).entryCount()).toBe(0);
    expect(await db.dataSource.getRepository(CaCrl).count({ where: { authorityId: crl.authorityId } })).toBe(1);
  });

  describe('refuses bad input with the rule that refused it, storing nothing', () => {
    let stored: number;
    beforeEach(async () => {
      stored = await certificateCount();
    });
    afterEach(async () => {
      expect(await certificateCount()).toBe(stored);
    });

    it('der.malformed: bytes that are not a request', async () => {
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', Buffer.from('3003020101', 'hex'), REQUESTER), 400, 'der.malformed');
    });
    it('key.curve-not-allowed: a secp256k1 key', async () => {
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, 'k1', { curve: 'secp256k1' }), REQUESTER), 400, 'key.curve-not-allowed');
    });
    it('key.explicit-parameters: brainpoolP256r1 spelled out as explicit parameters', async () => {
      const request = opensslRequest(pki.workspace, 'explicit', { explicitParameters: true });
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', request, REQUESTER), 400, 'key.explicit-parameters');
    });
    it('key.algorithm-not-allowed: an RSA key', async () => {
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, 'rsa', { curve: 'rsa' }), REQUESTER), 400, 'key.algorithm-not-allowed');
    });
    it('pop.signature-invalid: a request whose signature does not verify', async () => {
      const request = opensslRequest(pki.workspace, 'pop');
      request[request.length - 1]! ^= 0x01;
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', request, REQUESTER), 400, 'pop.signature-invalid');
    });
    it('key.curve: a P-256 key where the profile asks for brainpoolP256r1', async () => {
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, 'p256', { curve: 'prime256v1' }), REQUESTER), 422, 'key.curve');
    });
    it('ext.san.required: a TLS request without subjectAltName', async () => {
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, 'nosan', { extensions: [] }), REQUESTER), 422, 'ext.san.required');
    });
    it('name.ou.gln: a user subject without the 13-digit market participant number', async () => {
      const request = opensslRequest(pki.workspace, 'noou', { subject: '/CN=Company-Test.EMT.MAK/O=SM-Test-PKI-DE/C=DE/serialNumber=1' });
      await refusal(issuer.issueFromPkcs10('market', 'sm-user-tls', request, REQUESTER), 422, 'name.ou.gln');
    });
    it('profile.not-allowed: a profile the CA does not issue under', async () => {
      await refusal(issuer.issueFromPkcs10('calibration', 'sm-user-tls', opensslRequest(pki.workspace, 'wrongca'), REQUESTER), 422, 'profile.not-allowed');
    });
    it('ca.unknown: a CA the service does not have', async () => {
      await refusal(issuer.issueFromPkcs10('nope', 'sm-user-tls', opensslRequest(pki.workspace, 'unknown'), REQUESTER), 404, 'ca.unknown');
    });
    it('crmf.pop-invalid: the real initial request with one byte of a subject changed', async () => {
      const tampered = Buffer.from(INIT_CRMF);
      const at = tampered.indexOf(Buffer.from('Company-Test'));
      tampered[at] = 'K'.charCodeAt(0);
      await refusal(issuer.issueFromInitialRequest('market', tampered, REQUESTER), 400, 'crmf.pop-invalid');
    });
    it('profile.not-allowed: an initial request to the calibration CA (no user profiles), nothing of the three issued', async () => {
      await refusal(issuer.issueFromInitialRequest('calibration', INIT_CRMF, REQUESTER), 422, 'profile.not-allowed');
    });
  });
  describe('renewal requests (0.4.0.127.0.7.4.1.1.2), signed with the old signature key', () => {
    async function oldSignatureCertificate(name: string) {
      const old = await issuer.issueFromPkcs10('market', 'sm-user-sig', opensslRequest(pki.workspace, name, { extensions: SIG_SAN }), REQUESTER);
      return { old, renewal: await renewalRequest(old.der, opensslKey(pki.workspace, name), [pki.sub.der]) };
    }

    it('renews on the strength of a valid SIG certificate this CA issued; once that is revoked the renewal is refused', async () => {
      const { old, renewal } = await oldSignatureCertificate('old-sig');
      const renewed = await issuer.issueFromSmPkiRequest('market', renewal, REQUESTER);
      expect(renewed.map((certificate) => certificate.profile)).toEqual(['sm-user-sig', 'sm-user-tls']);
      for (const [index, certificate] of renewed.entries()) {
        expect(certificate.subject).toBe(old.subject);
        expect(opensslVerify(`renewed-${index}`, certificate.pem)).toContain(`renewed-${index}.pem: OK`);
        expect(lintCertificate(certificate.der, { profile: certificate.profile, issuer: pki.sub.der }).findings).toEqual([]);
      }
      const events = await db.dataSource.getRepository(AuditEvent).find({ where: { action: 'ca.certificate.issue' } });
      const renewals = events.filter((event) => JSON.parse(event.details).renewalOf === old.serial);
      expect(renewals).toHaveLength(2);

      await revoker.revoke('market', old.serial, { reason: 'superseded' }, REQUESTER);
      const stored = await certificateCount();
      const document = await refusal(issuer.issueFromSmPkiRequest('market', renewal, REQUESTER), 400, 'crmf.signer-revoked');
      expect(document.detail).toContain(old.serial);
      expect(await certificateCount()).toBe(stored);
    });

    it('crmf.signer-expired: a renewal arriving after the old certificate expired', async () => {
      const { old, renewal } = await oldSignatureCertificate('expired-sig');
      const afterExpiry = new Date(old.notAfter.getTime() + 1000);
      const later = new CertificateIssuer(registry, db.dataSource, audit, SM_PKI_PROFILES, () => afterExpiry);
      const stored = await certificateCount();
      await refusal(later.issueFromSmPkiRequest('market', renewal, REQUESTER), 400, 'crmf.signer-expired');
      expect(await certificateCount()).toBe(stored);
    });

    it('crmf.subject-mismatch: a renewal signed with one participant\'s key asking for another participant\'s name', async () => {
      const { old } = await oldSignatureCertificate('thief-sig');
      const otherSubject = encodeName([{ type: 'CN', value: 'Victim.EMT.MAK' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'OU', value: '9900000000003' }, { type: 'C', value: 'DE' }]);
      const renewal = await renewalRequest(old.der, opensslKey(pki.workspace, 'thief-sig'), [pki.sub.der], otherSubject);
      const stored = await certificateCount();
      const document = await refusal(issuer.issueFromSmPkiRequest('market', renewal, REQUESTER), 400, 'crmf.subject-mismatch');
      expect(document.detail).toContain('Victim.EMT.MAK');
      expect(await certificateCount()).toBe(stored);
    });

    it('crmf.signer-untrusted: the real renew.crmf, whose signer another PKI issued', async () => {
      const stored = await certificateCount();
      await refusal(issuer.issueFromSmPkiRequest('market', RENEW_CRMF, REQUESTER), 400, 'crmf.signer-untrusted');
      expect(await certificateCount()).toBe(stored);
    });

    it('crmf.signer-unknown: a signer certificate the CA key signed but the CA never recorded', async () => {
      const { old, renewal } = await oldSignatureCertificate('forgotten-sig');
      await db.dataSource.getRepository(CaCertificate).delete({ serial: old.serial });
      await refusal(issuer.issueFromSmPkiRequest('market', renewal, REQUESTER), 400, 'crmf.signer-unknown');
    });

    it('issues an initial request through the same entry point', async () => {
      const issued = await issuer.issueFromSmPkiRequest('market', INIT_CRMF, REQUESTER);
      expect(issued.map((certificate) => certificate.profile)).toEqual(['sm-user-enc', 'sm-user-sig', 'sm-user-tls']);
    });
  });

  describe('delta CRLs and automatic re-issue', () => {
    const opensslCrl = (name: string, der: Buffer, ca: string) => {
      pki.workspace.write(`${name}.crl`, der);
      pki.workspace.runBinary(['crl', '-inform', 'DER', '-in', `${name}.crl`, '-out', `${name}-crl.pem`]);
      return pki.workspace.run(['crl', '-in', `${name}-crl.pem`, '-CAfile', ca, '-noout', '-text']).output;
    };

    it('a revocation on a crlOnRevocation CA signs a new full CRL listing it at once', async () => {
      const before = await crls.currentCrl('market');
      const issued = await issuer.issueFromPkcs10('market', 'sm-user-sig', opensslRequest(pki.workspace, 'on-revocation', { extensions: SIG_SAN }), REQUESTER);
      await revoker.revoke('market', issued.serial, { reason: 'keyCompromise' }, REQUESTER);
      const after = await crls.currentCrl('market');
      expect(after.crlNumber).toBe(before.crlNumber + 1);
      expect(parseCrl(after.der).findEntry(issued.serial)).toBeDefined();
    });

    it('a delta CRL lists what was revoked since its base, names the base and takes the next number; openssl accepts it', async () => {
      const base = await crls.issueCrl('market', REQUESTER);
      // Long revoked: in the base, not in the delta.
      const old = await issuer.issueFromPkcs10('market', 'sm-user-sig', opensslRequest(pki.workspace, 'long-revoked', { extensions: SIG_SAN }), REQUESTER);
      await revoker.revoke('market', old.serial, { reason: 'superseded' }, REQUESTER);
      await db.dataSource.getRepository(CaCertificate).update({ serial: old.serial }, { revokedAt: new Date(Date.now() - 86_400_000) });
      const fresh = await issuer.issueFromPkcs10('market', 'sm-user-sig', opensslRequest(pki.workspace, 'delta', { extensions: SIG_SAN }), REQUESTER);
      const revokedBase = await crls.currentCrl('market'); // crlOnRevocation signed full CRLs meanwhile
      await revoker.revoke('market', fresh.serial, { reason: 'keyCompromise' }, REQUESTER);
      const currentBase = await crls.currentCrl('market');
      expect(currentBase.crlNumber).toBeGreaterThan(revokedBase.crlNumber);

      const delta = await crls.issueDeltaCrl('market', REQUESTER);
      expect(delta).toMatchObject({ delta: true, baseCrlNumber: currentBase.crlNumber, crlNumber: currentBase.crlNumber + 1 });
      expect(currentBase.crlNumber).toBeGreaterThan(base.crlNumber);
      const parsed = parseCrl(delta.der);
      expect(parsed.verifySignature(pki.sub.certificate)).toBe(true);
      expect(parsed.deltaCrlIndicator).toBe(BigInt(currentBase.crlNumber));
      expect(parsed.crlNumber).toBe(BigInt(delta.crlNumber));
      expect(parsed.findEntry(fresh.serial)?.reason).toBe('keyCompromise');
      expect(parsed.findEntry(old.serial)).toBeUndefined();
      const text = opensslCrl('delta', delta.der, 'sub.pem');
      expect(text).toContain('verify OK');
      expect(text).toMatch(new RegExp(`Delta CRL Indicator: critical\\s+${currentBase.crlNumber}\\b`));

      // Served until its nextUpdate while its base is current; a new full CRL makes the next one apply to it.
      expect((await crls.currentDeltaCrl('market')).crlNumber).toBe(delta.crlNumber);
      const newBase = await crls.issueCrl('market', REQUESTER);
      const next = await crls.currentDeltaCrl('market');
      expect(next).toMatchObject({ baseCrlNumber: newBase.crlNumber, crlNumber: newBase.crlNumber + 1 });
    });

    it('re-issues a full CRL once it is within the margin of its nextUpdate, and only then', async () => {
      const scheduler = new CrlReissueScheduler(registry, crls);
      await crls.currentCrl('calibration');
      await crls.currentCrl('market');
      expect(await scheduler.runOnce()).toEqual([]);
      const latest = await crls.currentCrl('calibration');
      // calibration: crlReissueMarginMinutes 120; 90 minutes before nextUpdate it is due.
      await db.dataSource.getRepository(CaCrl).update({ id: latest.id }, { nextUpdate: new Date(Date.now() + 90 * 60_000) });
      const reissued = await scheduler.runOnce();
      expect(reissued.map((crl) => [crl.authorityId, crl.crlNumber])).toEqual([[latest.authorityId, latest.crlNumber + 1]]);
      expect(reissued[0]!.nextUpdate.getTime() - reissued[0]!.thisUpdate.getTime()).toBe(168 * 3_600_000);
      expect(await scheduler.runOnce()).toEqual([]);
    });

    it('keeps CRL numbers unique and consecutive when several publishers (replicas) sign at once', async () => {
      const replicas = [crls, new CrlPublisher(registry, db.dataSource, audit), new CrlPublisher(registry, db.dataSource, audit)];
      const last = await crls.currentCrl('calibration');
      const signed = await Promise.all(replicas.map((replica) => replica.issueCrl('calibration', REQUESTER)));
      expect(signed.map((crl) => crl.crlNumber).sort((a, b) => a - b)).toEqual([1, 2, 3].map((step) => last.crlNumber + step));
    });
  });
}
