/**
 * Group commit of issued certificates against one database (group-commit.sqlite.it-spec.ts,
 * group-commit.postgres.it-spec.ts): many issuances in flight at once are all stored and each audited exactly once
 * in an intact chain; issuances waiting together share one transaction; a batch with one bad row stores the others.
 */
import { AuditEvent, AuditTrail, verifyAuditChain } from '@smpki/audit';
import { CaCertificate, CaRegistry, CertificateIssuer } from '@smpki/ca';
import { IssuanceBatcher } from '../../../libs/ca/src/issuance-batcher';
import { SoftwareSigner } from '../../support/software-signer';
import type { TestDatabaseFactory, TestDatabase } from '../../persistence/support/test-databases';
import { createCaTestPki, opensslRequest, type CaTestPki } from './ca-test-pki';

const REQUESTER = 'CN=operator-1';
const checkpointSigner = SoftwareSigner.generate('brainpoolP256r1', 'pkcs11:token=audit;object=checkpoint-group-commit');

export function groupCommitSuite(openDatabase: TestDatabaseFactory): void {
  jest.setTimeout(60_000);
  let pki: CaTestPki;
  let db: TestDatabase;
  let registry: CaRegistry;
  let audit: AuditTrail;
  let issuer: CertificateIssuer;

  beforeAll(async () => {
    pki = await createCaTestPki();
    db = await openDatabase();
    // A checkpoint every 7 entries: batches cross checkpoint boundaries.
    audit = new AuditTrail(db.dataSource, { service: 'sub-ca', checkpointSigner, checkpointEvery: 7 });
    registry = await CaRegistry.open(pki.configs, pki.hsm.km, db.dataSource);
    issuer = new CertificateIssuer(registry, db.dataSource, audit);
  }, 60_000);
  afterAll(async () => {
    await db?.remove();
    await pki?.dispose();
  });

  const verify = () => verifyAuditChain(db.dataSource, { trustedCheckpointKeys: [checkpointSigner.publicKey.spki] });
  const issueEvents = () => db.dataSource.getRepository(AuditEvent).find({ where: { action: 'ca.certificate.issue' }, order: { seq: 'ASC' } });

  it('stores and audits once each of 50 issuances sent at once, in an intact chain', async () => {
    const requests = [0, 1, 2, 3, 4].map((n) => opensslRequest(pki.workspace, `parallel-${n}`));
    const storedBefore = await db.dataSource.getRepository(CaCertificate).count();
    const auditedBefore = (await issueEvents()).length;

    const issued = await Promise.all(
      Array.from({ length: 50 }, (_, n) => issuer.issueFromPkcs10('market', 'sm-user-tls', requests[n % requests.length]!, REQUESTER)),
    );

    const serials = issued.map((certificate) => certificate.serial);
    expect(new Set(serials).size).toBe(50);
    const stored = await db.dataSource.getRepository(CaCertificate).find();
    expect(stored.length).toBe(storedBefore + 50);
    for (const certificate of issued) {
      expect(stored.find((row) => row.serial === certificate.serial)?.fingerprint).toBe(certificate.fingerprint);
    }
    const audited = (await issueEvents()).slice(auditedBefore).map((event) => event.target);
    expect(audited.sort()).toEqual(serials.map((serial) => `market/${serial}`).sort());
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('writes the issuances waiting together in one transaction, in the order they arrived', async () => {
    const batcher = new IssuanceBatcher(db.dataSource, audit);
    const appendMany = jest.spyOn(audit, 'appendMany');
    try {
      const pending = Array.from({ length: 6 }, (_, n) => pendingIssuance(registry, `waiting-${n}`, n === 2 ? 3 : 1));
      await Promise.all(pending.map((issuance) => batcher.store(issuance)));
      // The first starts the writer alone; the other five (seven certificates) waited for it and share one commit.
      expect(appendMany.mock.calls.map(([events]) => events.map((event) => event.target))).toEqual([
        pending[0]!.events.map((event) => event.target),
        pending.slice(1).flatMap((issuance) => issuance.events.map((event) => event.target)),
      ]);
      expect(await db.dataSource.getRepository(CaCertificate).countBy({ requester: 'CN=batch' })).toBe(8);
      expect(await verify()).toMatchObject({ ok: true });
    } finally {
      appendMany.mockRestore();
    }
  });

  it('when a batch fails, stores every issuance of it that can be stored and fails only the bad one', async () => {
    const batcher = new IssuanceBatcher(db.dataSource, audit);
    const clash = pendingIssuance(registry, 'clash', 1);
    await batcher.store(clash);
    const good = [pendingIssuance(registry, 'good-0', 1), pendingIssuance(registry, 'good-1', 2)];
    // The same (authority, serial) again: the unique index refuses it.
    const duplicate = pendingIssuance(registry, 'duplicate', 1, clash.rows[0]!.serial);
    const first = batcher.store(pendingIssuance(registry, 'first', 1));
    const outcomes = await Promise.allSettled([first, good[0]!, duplicate, good[1]!].map((issuance) => (issuance instanceof Promise ? issuance : batcher.store(issuance))));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const serials = good.flatMap((issuance) => issuance.rows.map((row) => row.serial));
    expect(await db.dataSource.getRepository(CaCertificate).countBy(serials.map((serial) => ({ serial })))).toBe(3);
    const targets = (await issueEvents()).map((event) => event.target);
    for (const serial of serials) expect(targets.filter((target) => target === `market/${serial}`)).toHaveLength(1);
    expect(targets.filter((target) => target === `market/${clash.rows[0]!.serial}`)).toHaveLength(1);
    expect(await verify()).toMatchObject({ ok: true });
  });
}

let fakeSerial = 0;

/** Rows as the issuer stores them (the DER is not a certificate: the batcher stores, it does not parse). */
function pendingIssuance(registry: CaRegistry, name: string, certificates: number, serial?: string) {
  const ca = registry.get('market');
  const rows = Array.from({ length: certificates }, (_, n) => {
    const rowSerial = serial ?? (++fakeSerial).toString(16).padStart(32, 'f');
    return Object.assign(new CaCertificate(), {
      id: crypto.randomUUID(),
      authorityId: ca.id,
      serial: rowSerial,
      subject: `CN=${name}-${n}`,
      profile: 'sm-user-tls',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      fingerprint: crypto.randomUUID().replaceAll('-', '') + crypto.randomUUID().replaceAll('-', ''),
      der: Buffer.from(`${name}-${n}`),
      status: 'good' as const,
      revokedAt: null,
      revocationReason: null,
      invalidityDate: null,
      requester: 'CN=batch',
      issuedAt: new Date(),
    });
  });
  const events = rows.map((row) => ({ action: 'ca.certificate.issue', outcome: 'success' as const, actor: 'CN=batch', target: `market/${row.serial}`, details: { serial: row.serial } }));
  return { rows, events };
}
