/**
 * The audit trail's behaviour, run against each database (audit-trail.sqlite.it-spec.ts, audit-trail.postgres.it-spec.ts).
 * Tampering is done the way an attacker with database access would: raw SQL on the tables.
 */
import {
  AuditCheckpoint,
  AuditEventError,
  type AuditEventInput,
  AuditTrail,
  type AuditVerificationReport,
  computeEventHash,
  formatAuditVerificationReport,
  verifyAuditChain,
} from '@smpki/audit';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import type { TestDatabase, TestDatabaseFactory } from '../../persistence/support/test-databases';
import { SoftwareSigner } from '../../support/software-signer';

const signer = SoftwareSigner.generate('brainpoolP256r1', 'pkcs11:token=audit;object=checkpoint-2026');

function event(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    action: 'certificate.issued',
    outcome: 'success',
    actor: 'CN=operator-1,O=Example Utility',
    target: `serial:${n.toString(16).padStart(8, '0')}`,
    details: { profile: 'meter-signature', curve: 'brainpoolP256r1', n },
    ...overrides,
  };
}

async function appendMany(trail: AuditTrail, count: number): Promise<void> {
  for (let n = 1; n <= count; n++) await trail.append(event(n));
}

function verify(dataSource: DataSource, trustedKeys: Buffer[] = [signer.publicKey.spki]): Promise<AuditVerificationReport> {
  return verifyAuditChain(dataSource, { trustedCheckpointKeys: trustedKeys });
}

async function count(dataSource: DataSource, table: string): Promise<number> {
  const [row] = await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row.n);
}

export function auditTrailSuite(openDatabase: TestDatabaseFactory): void {
  let db: TestDatabase;
  let dataSource: DataSource;

  // One database per file (creating a PostgreSQL database costs more than the tests); emptied before each test.
  beforeAll(async () => {
    db = await openDatabase();
    dataSource = db.dataSource;
  });

  afterAll(async () => {
    await db.remove();
  });

  beforeEach(async () => {
    for (const table of ['audit_checkpoint', 'audit_event', 'audit_head']) await dataSource.query(`DELETE FROM ${table}`);
    await dataSource.query('DROP TABLE IF EXISTS business_change');
  });

  describe('recording', () => {
    it('chains entries from seq 1 and verifies them with their checkpoints', async () => {
      const trail = new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: 1000 });
      const first = await trail.append(event(1));
      const second = await trail.append(event(2, { actor: undefined, target: undefined, details: undefined }));

      expect(first).toMatchObject({ seq: 1, service: 'sub-ca', action: 'certificate.issued', outcome: 'success' });
      expect(first.prevHash.equals(Buffer.alloc(32))).toBe(true);
      expect(second).toMatchObject({ seq: 2, actor: null, target: null, details: {} });
      expect(second.prevHash.equals(first.hash)).toBe(true);

      await appendMany(trail, 3);
      const checkpoint = await trail.checkpoint();
      expect(checkpoint).toMatchObject({ seq: 5, signerKeyUri: signer.keyUri });
      expect(await trail.checkpoint()).toBeUndefined(); // nothing new to seal
      await appendMany(trail, 2);

      const report = await verify(dataSource);
      expect(report).toEqual({
        ok: true,
        entriesVerified: 7,
        checkpointsVerified: 1,
        lastSeq: 7,
        sealedThroughSeq: 5,
        unsealedEntries: 2,
      });
      expect(formatAuditVerificationReport(report)).toBe(
        'audit chain intact: 7 entries, 1 signed checkpoints; 2 entries after seq 5 not yet sealed by a checkpoint',
      );
    });

    it('stores what it hashed: the row read back hashes to the stored hash', async () => {
      const trail = new AuditTrail(dataSource, { service: 'skm' });
      const record = await trail.append(event(1, { details: { z: 1, a: { y: [true, null, 'ü'], b: 2.5 }, when: new Date('2026-05-01T12:00:00Z') } }));
      const [row] = await dataSource.query('SELECT details FROM audit_event WHERE seq = 1');
      expect(row.details).toBe('{"a":{"b":2.5,"y":[true,null,"ü"]},"when":"2026-05-01T12:00:00.000Z","z":1}');
      expect(record.details).toEqual({ a: { b: 2.5, y: [true, null, 'ü'] }, when: '2026-05-01T12:00:00.000Z', z: 1 });
      const stored = await dataSource.getRepository('AuditEvent').findOneByOrFail({ seq: 1 });
      expect(computeEventHash(stored as never).equals(record.hash)).toBe(true);
      expect((stored as { time: Date }).time.getTime()).toBe(record.time.getTime());
    });

    it('seals automatically every checkpointEvery entries', async () => {
      const trail = new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: 3 });
      await appendMany(trail, 7);
      const checkpoints = await dataSource.getRepository(AuditCheckpoint).find({ order: { seq: 'ASC' } });
      expect(checkpoints.map((c) => c.seq)).toEqual([3, 6]);
      expect(checkpoints[1].prevCheckpointHash.equals(checkpoints[0].hash)).toBe(true);
      expect(await verify(dataSource)).toMatchObject({ ok: true, checkpointsVerified: 2, sealedThroughSeq: 6, unsealedEntries: 1 });
    });

    it('keeps appending when checkpoint signing fails, reports it, and seals with the next append', async () => {
      const errors: Error[] = [];
      let hsmDown = true;
      const flakySigner = Object.create(signer, {
        sign: { value: (data: Uint8Array, options: object) => (hsmDown ? Promise.reject(new Error('CKR_DEVICE_REMOVED')) : signer.sign(data, options)) },
      });
      const trail = new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: flakySigner, checkpointEvery: 2, onCheckpointError: (e) => errors.push(e) });
      await appendMany(trail, 3);
      expect(errors.map((e) => e.message)).toEqual([
        'audit checkpoint at seq 2 not signed: CKR_DEVICE_REMOVED',
        'audit checkpoint at seq 3 not signed: CKR_DEVICE_REMOVED',
      ]);
      expect(await count(dataSource, 'audit_checkpoint')).toBe(0);
      hsmDown = false;
      await trail.append(event(4));
      expect(await dataSource.getRepository(AuditCheckpoint).find()).toMatchObject([{ seq: 4 }]);
      expect(await verify(dataSource)).toMatchObject({ ok: true, entriesVerified: 4, sealedThroughSeq: 4 });
    });

    it('commits or rolls back with the business transaction it is given', async () => {
      await dataSource.query('CREATE TABLE business_change (id integer PRIMARY KEY)');
      const trail = new AuditTrail(dataSource, { service: 'sub-ca' });

      await expect(
        runInTransaction(dataSource, async (manager) => {
          await manager.query('INSERT INTO business_change (id) VALUES (1)');
          await trail.append(event(1), manager);
          throw new Error('issuance failed after the audit record');
        }),
      ).rejects.toThrow('issuance failed');
      expect(await count(dataSource, 'business_change')).toBe(0);
      expect(await count(dataSource, 'audit_event')).toBe(0);

      await runInTransaction(dataSource, async (manager) => {
        await manager.query('INSERT INTO business_change (id) VALUES (2)');
        await trail.append(event(2), manager);
      });
      expect(await count(dataSource, 'business_change')).toBe(1);
      const [row] = await dataSource.query('SELECT seq FROM audit_event');
      expect(Number(row.seq)).toBe(1); // the rolled-back append left no gap
      expect(await verify(dataSource)).toMatchObject({ ok: true, entriesVerified: 1 });
    });

    it('refuses secret-looking details without writing anything or echoing the value', async () => {
      const trail = new AuditTrail(dataSource, { service: 'skm' });
      const attempts: Array<[Record<string, unknown>, string]> = [
        [{ keyUri: 'pkcs11:token=a;object=b', userPin: '87654321' }, 'details.userPin'],
        [{ request: { newPassword: '87654321' } }, 'details.request.newPassword'],
        [{ batch: [{ ok: 1 }, { client_secret: '87654321' }] }, 'details.batch[1].client_secret'],
        [{ accessToken: 'eyJ87654321' }, 'details.accessToken'],
        [{ PRIVATE_KEY: '87654321' }, 'details.PRIVATE_KEY'],
        [{ export: '-----BEGIN EC PRIVATE KEY-----\n87654321' }, 'details.export'],
      ];
      for (const [details, path] of attempts) {
        const refused = trail.append(event(1, { details }));
        await expect(refused).rejects.toThrow(AuditEventError);
        await expect(refused).rejects.toThrow(`audit event ${path} looks like a secret`);
        await expect(refused).rejects.not.toThrow('87654321');
      }
      expect(await count(dataSource, 'audit_event')).toBe(0);
      // Names of things are not secrets.
      await trail.append(event(1, { details: { tokenLabel: 'smpki', privateKeyUri: 'pkcs11:token=smpki;object=ca', pinPolicy: 'so' } }));
      expect(await count(dataSource, 'audit_event')).toBe(1);
    });

    it('refuses malformed events with the field named', async () => {
      const trail = new AuditTrail(dataSource, { service: 'skm' });
      await expect(trail.append(event(1, { action: 'Certificate Issued' }))).rejects.toThrow('action must be dotted lower-case words');
      await expect(trail.append(event(1, { outcome: 'ok' as never }))).rejects.toThrow('outcome must be one of success, failure, denied');
      await expect(trail.append(event(1, { actor: 'alice\naudit chain intact' }))).rejects.toThrow('actor contains control characters');
      await expect(trail.append(event(1, { details: { size: Number.NaN } }))).rejects.toThrow('details.size: NaN is not JSON');
      await expect(trail.append(event(1, { details: { der: Buffer.from('30', 'hex') } }))).rejects.toThrow('details.der: binary data is not JSON');
      expect(() => new AuditTrail(dataSource, { service: 'Sub CA' })).toThrow('audit service name');
      expect(await count(dataSource, 'audit_event')).toBe(0);
    });

    it('verifies an empty log', async () => {
      expect(await verify(dataSource)).toEqual({ ok: true, entriesVerified: 0, checkpointsVerified: 0, lastSeq: 0, sealedThroughSeq: 0, unsealedEntries: 0 });
    });
  });

  describe('tampering', () => {
    let trail: AuditTrail;

    beforeEach(async () => {
      trail = new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: 5 });
      await appendMany(trail, 12); // checkpoints at 5 and 10; 11 and 12 unsealed
      expect((await verify(dataSource)).ok).toBe(true);
    });

    async function brokenAt(): Promise<{ seq?: number; problem?: string; line: string }> {
      const report = await verify(dataSource);
      expect(report.ok).toBe(false);
      return { seq: report.firstBroken?.seq, problem: report.firstBroken?.problem, line: formatAuditVerificationReport(report) };
    }

    it('names an edited actor', async () => {
      await dataSource.query(`UPDATE audit_event SET actor = 'CN=someone-else' WHERE seq = 7`);
      expect(await brokenAt()).toEqual({ seq: 7, problem: 'hash-mismatch', line: 'audit chain broken at seq 7: hash mismatch (row edited)' });
    });

    it('names edited details, even in an unsealed entry', async () => {
      await dataSource.query(`UPDATE audit_event SET details = '{"n":11,"profile":"tls-server"}' WHERE seq = 11`);
      expect(await brokenAt()).toMatchObject({ seq: 11, problem: 'hash-mismatch' });
    });

    it('reports the counts verified before the break', async () => {
      await dataSource.query(`UPDATE audit_event SET outcome = 'denied' WHERE seq = 8`);
      expect(await verify(dataSource)).toMatchObject({ ok: false, entriesVerified: 7, checkpointsVerified: 1, sealedThroughSeq: 5 });
    });

    it('names a deleted row', async () => {
      await dataSource.query('DELETE FROM audit_event WHERE seq = 6');
      expect(await brokenAt()).toEqual({
        seq: 6,
        problem: 'missing-entry',
        line: 'audit chain broken at seq 6: entry missing (row deleted; the next entry is seq 7)',
      });
    });

    it('detects a deleted row whose successors were renumbered', async () => {
      await dataSource.query('DELETE FROM audit_event WHERE seq = 3');
      for (let seq = 4; seq <= 12; seq++) await dataSource.query(`UPDATE audit_event SET seq = ${seq - 1} WHERE seq = ${seq}`);
      expect(await brokenAt()).toMatchObject({ seq: 3, problem: 'hash-mismatch' });
    });

    it('detects an entry rewritten with a recomputed hash by the next link, and a rewritten suffix by the checkpoint', async () => {
      const rewrite = async (seq: number, prevHash: Buffer): Promise<Buffer> => {
        const repository = dataSource.getRepository('AuditEvent');
        const row = (await repository.findOneByOrFail({ seq })) as Record<string, unknown>;
        const forged = { ...row, actor: 'CN=forger', prevHash } as never;
        const hash = computeEventHash(forged);
        await repository.update({ seq }, { actor: 'CN=forger', prevHash, hash });
        return hash;
      };
      const [row7] = await dataSource.getRepository('AuditEvent').findBy({ seq: 7 });
      await rewrite(8, (row7 as { hash: Buffer }).hash);
      expect(await brokenAt()).toMatchObject({ seq: 9, problem: 'prev-hash-mismatch' });

      // Rewriting every entry from 8 to the next checkpoint keeps the links intact: only the signature can tell.
      let prev = (row7 as { hash: Buffer }).hash;
      for (let seq = 8; seq <= 10; seq++) prev = await rewrite(seq, prev);
      expect(await brokenAt()).toMatchObject({ seq: 10, problem: 'checkpoint-mismatch' });
    });

    it('detects a deleted unsealed tail through the head', async () => {
      await dataSource.query('DELETE FROM audit_event WHERE seq > 10');
      expect(await brokenAt()).toEqual({
        seq: 11,
        problem: 'tail-deleted',
        line: 'audit chain broken at seq 11: the audit head records seq 12 but the log ends at seq 10 (tail deleted)',
      });
    });

    it('detects a deleted tail after a checkpoint even when the head is rewound too', async () => {
      await dataSource.query('DELETE FROM audit_event WHERE seq > 7');
      const [row7] = await dataSource.getRepository('AuditEvent').findBy({ seq: 7 });
      await dataSource.getRepository('AuditHead').update({ id: 1 }, { lastSeq: 7, lastHash: (row7 as { hash: Buffer }).hash });
      expect(await brokenAt()).toEqual({
        seq: 8,
        problem: 'tail-deleted',
        line: 'audit chain broken at seq 8: a signed checkpoint seals seq 10 but the log ends at seq 7 (tail deleted)',
      });
    });

    it('detects a tampered checkpoint signature', async () => {
      const checkpoints = dataSource.getRepository(AuditCheckpoint);
      const checkpoint = await checkpoints.findOneByOrFail({ seq: 5 });
      const signature = Buffer.from(checkpoint.signature);
      signature[signature.length - 3] ^= 0x01;
      await checkpoints.update({ seq: 5 }, { signature });
      expect(await brokenAt()).toMatchObject({ seq: 5, problem: 'checkpoint-bad-signature' });
    });

    it('detects an edited checkpoint field', async () => {
      await dataSource.query(`UPDATE audit_checkpoint SET signer_key_uri = 'pkcs11:token=audit;object=other' WHERE seq = 10`);
      expect(await brokenAt()).toMatchObject({ seq: 10, problem: 'checkpoint-bad-signature' });
    });

    it('detects a checkpoint signed by a key that is not trusted, and a deleted checkpoint', async () => {
      const report = await verify(dataSource, [SoftwareSigner.generate().publicKey.spki]);
      expect(report.firstBroken).toEqual({
        seq: 5,
        problem: 'checkpoint-untrusted-key',
        message: 'the checkpoint at seq 5 is signed by an untrusted key (pkcs11:token=audit;object=checkpoint-2026)',
      });
      await dataSource.query('DELETE FROM audit_checkpoint WHERE seq = 5');
      expect(await brokenAt()).toMatchObject({ seq: 10, problem: 'checkpoint-chain' });
    });

    it('detects a deleted last checkpoint through the head', async () => {
      await dataSource.query('DELETE FROM audit_checkpoint WHERE seq = 10');
      expect(await brokenAt()).toMatchObject({ seq: 10, problem: 'checkpoint-chain' });
    });

    it('detects a row inserted around the trail', async () => {
      const [row12] = await dataSource.getRepository('AuditEvent').findBy({ seq: 12 });
      const forged = { ...(row12 as object), seq: 13, prevHash: (row12 as { hash: Buffer }).hash, time: new Date() } as never;
      await dataSource.getRepository('AuditEvent').insert({ ...(forged as object), hash: computeEventHash(forged) });
      expect(await brokenAt()).toMatchObject({ seq: 13, problem: 'unrecorded-entry' });
    });

    it('detects checkpoints deleted together with the tail and a rewound head, given the checkpoint interval', async () => {
      // Everything an attacker with write access can do without the HSM key: drop the tail and every checkpoint,
      // and make the head agree. The unsigned chain that remains is consistent in itself.
      await dataSource.query('DELETE FROM audit_event WHERE seq > 7');
      await dataSource.query('DELETE FROM audit_checkpoint');
      const [row7] = await dataSource.getRepository('AuditEvent').findBy({ seq: 7 });
      await dataSource.getRepository('AuditHead').update(
        { id: 1 },
        { lastSeq: 7, lastHash: (row7 as { hash: Buffer }).hash, checkpointSeq: 0, checkpointHash: Buffer.alloc(32) },
      );
      const report = await verifyAuditChain(dataSource, { trustedCheckpointKeys: [signer.publicKey.spki], maxUnsealedEntries: 5 });
      expect(report.firstBroken).toEqual({
        seq: 1,
        problem: 'checkpoint-missing',
        message: '7 entries after seq 0 have no signed checkpoint, more than the interval of 5 (checkpoints deleted?)',
      });
    });

    it('accepts the intact trail with its checkpoint interval, whose last run is shorter than the interval', async () => {
      expect(await verifyAuditChain(dataSource, { trustedCheckpointKeys: [signer.publicKey.spki], maxUnsealedEntries: 5 })).toMatchObject({
        ok: true,
        unsealedEntries: 2,
      });
    });

    it('refuses to append after the head row was deleted', async () => {
      await dataSource.query('DELETE FROM audit_head');
      await expect(trail.append(event(13))).rejects.toThrow('the audit_head row was lost while audit_event holds entries');
      expect(await brokenAt()).toMatchObject({ seq: 13, problem: 'head-mismatch' });
    });
  });
}
