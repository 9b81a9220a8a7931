/**
 * AuditTrail.appendMany against one database (append-many.sqlite.it-spec.ts, append-many.postgres.it-spec.ts): a
 * batch must leave exactly the log one-by-one appends leave (seqs, links, automatic checkpoints), verified by
 * verifyAuditChain, and an invalid event must refuse the whole batch.
 */
import { AuditCheckpoint, AuditEvent, AuditEventError, type AuditEventInput, AuditTrail, type AuditRecord, verifyAuditChain } from '@smpki/audit';
import type { DataSource } from 'typeorm';
import type { TestDatabase, TestDatabaseFactory } from '../../persistence/support/test-databases';
import { SoftwareSigner } from '../../support/software-signer';

const signer = SoftwareSigner.generate('brainpoolP256r1', 'pkcs11:token=audit;object=checkpoint-batch');

function event(n: number): AuditEventInput {
  return { action: 'ca.certificate.issue', outcome: 'success', actor: 'CN=operator-1', target: `market/${n}`, details: { n } };
}

const events = (from: number, to: number): AuditEventInput[] => Array.from({ length: to - from + 1 }, (_, index) => event(from + index));

/** What a log holds apart from times and the hashes over them. */
interface LogShape {
  entries: { seq: number; action: string; target: string | null; details: string }[];
  checkpointSeqs: number[];
}

async function logShape(dataSource: DataSource): Promise<LogShape> {
  const rows = await dataSource.getRepository(AuditEvent).find({ order: { seq: 'ASC' } });
  const checkpoints = await dataSource.getRepository(AuditCheckpoint).find({ order: { seq: 'ASC' } });
  rows.forEach((row, index) => expect(row.prevHash.equals(index === 0 ? Buffer.alloc(32) : rows[index - 1]!.hash)).toBe(true));
  return {
    entries: rows.map(({ seq, action, target, details }) => ({ seq, action, target, details })),
    checkpointSeqs: checkpoints.map((checkpoint) => checkpoint.seq),
  };
}

export function appendManySuite(openDatabase: TestDatabaseFactory): void {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await openDatabase();
    dataSource = db.dataSource;
  });
  afterAll(async () => {
    await db.remove();
  });
  beforeEach(async () => {
    for (const table of ['audit_checkpoint', 'audit_event', 'audit_head']) await dataSource.query(`DELETE FROM ${table}`);
  });

  const trail = (options: { checkpointEvery?: number; checkpointSigner?: SoftwareSigner } = {}) =>
    new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: 3, ...options });
  const verify = () => verifyAuditChain(dataSource, { trustedCheckpointKeys: [signer.publicKey.spki] });

  it('leaves the log one-by-one appends leave: same seqs, links and automatic checkpoints', async () => {
    const oneByOne = trail();
    for (const input of events(1, 11)) await oneByOne.append(input);
    const expected = await logShape(dataSource);
    expect(expected.checkpointSeqs).toEqual([3, 6, 9]);
    for (const table of ['audit_checkpoint', 'audit_event', 'audit_head']) await dataSource.query(`DELETE FROM ${table}`);

    const batched = trail();
    // Batches that stop short of, reach and cross checkpoint boundaries.
    const records: AuditRecord[] = [];
    for (const [from, to] of [[1, 1], [2, 3], [4, 10], [11, 11]] as const) records.push(...(await batched.appendMany(events(from, to))));
    expect(await logShape(dataSource)).toEqual(expected);
    expect(records.map((record) => record.seq)).toEqual(expected.entries.map((entry) => entry.seq));
    expect(records.map((record) => record.details)).toEqual(events(1, 11).map((input) => input.details));
    expect(await verify()).toMatchObject({ ok: true, entriesVerified: 11, checkpointsVerified: 3, sealedThroughSeq: 9, unsealedEntries: 2 });
  });

  it('continues the chain of single appends and is continued by them', async () => {
    const audit = trail({ checkpointEvery: 100 });
    await audit.append(event(1));
    const batch = await audit.appendMany(events(2, 5));
    const last = await audit.append(event(6));
    expect(batch.map((record) => record.seq)).toEqual([2, 3, 4, 5]);
    expect(last.prevHash.equals(batch[3]!.hash)).toBe(true);
    expect(await verify()).toMatchObject({ ok: true, entriesVerified: 6 });
  });

  it('refuses the whole batch when one event is invalid, writing nothing', async () => {
    const audit = trail();
    const bad = { ...event(2), details: { pin: '1234' } };
    await expect(audit.appendMany([event(1), bad, event(3)])).rejects.toBeInstanceOf(AuditEventError);
    expect(await dataSource.getRepository(AuditEvent).count()).toBe(0);
    expect(await audit.appendMany([])).toEqual([]);
    expect(await dataSource.getRepository(AuditEvent).count()).toBe(0);
  });

  it('retries a checkpoint whose signing failed at the next event of the batch, as one-by-one appends do', async () => {
    const errors: Error[] = [];
    let hsmDown = true;
    const flakySigner = Object.create(signer, {
      sign: { value: (data: Uint8Array, options: object) => (hsmDown ? Promise.reject(new Error('CKR_DEVICE_REMOVED')) : signer.sign(data, options)) },
    }) as SoftwareSigner;
    const audit = new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: flakySigner, checkpointEvery: 2, onCheckpointError: (e) => errors.push(e) });
    await audit.appendMany(events(1, 3));
    expect(errors.map((e) => e.message)).toEqual([
      'audit checkpoint at seq 2 not signed: CKR_DEVICE_REMOVED',
      'audit checkpoint at seq 3 not signed: CKR_DEVICE_REMOVED',
    ]);
    hsmDown = false;
    await audit.appendMany(events(4, 7));
    expect((await logShape(dataSource)).checkpointSeqs).toEqual([4, 6]);
    expect(await verify()).toMatchObject({ ok: true, entriesVerified: 7, sealedThroughSeq: 6 });
  });
}
