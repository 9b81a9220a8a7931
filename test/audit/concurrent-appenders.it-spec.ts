/**
 * Several appenders on one database (service replicas on PostgreSQL, processes on one SQLite file) extend one
 * gap-free, verifiable chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditCheckpoint, AuditTrail, verifyAuditChain } from '@smpki/audit';
import { openDatabase, SQLITE_MIGRATIONS } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { describePostgres } from '../persistence/support/describe-postgres';
import { runTypescript } from '../persistence/support/run-typescript';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { SoftwareSigner } from '../support/software-signer';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describePostgres('concurrent appenders on PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('smpki_test');
  });

  afterAll(async () => {
    await Promise.all(replicas.map((dataSource) => dataSource.destroy()));
    await database.drop();
  });

  it('4 replicas x 50 events give one gap-free chain, sealed every 20 entries', async () => {
    const signer = SoftwareSigner.generate('brainpoolP256r1');
    replicas = await Promise.all(range(1, 4).map(() => openDatabase({ type: 'postgres', url: database.url, poolSize: 2 })));
    const seqsPerReplica = await Promise.all(
      replicas.map(async (dataSource, replica) => {
        const trail = new AuditTrail(dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: 20 });
        const seqs: number[] = [];
        for (let n = 1; n <= 50; n++) {
          seqs.push((await trail.append({ action: 'certificate.issued', outcome: 'success', actor: `replica-${replica}`, details: { n } })).seq);
        }
        return seqs;
      }),
    );

    expect(seqsPerReplica.flat().sort((a, b) => a - b)).toEqual(range(1, 200));
    // Each replica saw its own appends in order, interleaved with the others'.
    for (const seqs of seqsPerReplica) expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const checkpoints = await replicas[0].getRepository(AuditCheckpoint).find({ order: { seq: 'ASC' } });
    expect(checkpoints.map((checkpoint) => checkpoint.seq)).toEqual(range(1, 10).map((i) => i * 20));
    expect(await verifyAuditChain(replicas[0], { trustedCheckpointKeys: [signer.publicKey.spki] })).toEqual({
      ok: true,
      entriesVerified: 200,
      checkpointsVerified: 10,
      lastSeq: 200,
      sealedThroughSeq: 200,
      unsealedEntries: 0,
    });
  });
});

describe('concurrent appenders on SQLite', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-audit-processes-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('3 processes x 40 events on one fresh file give one gap-free chain', async () => {
    const path = join(dir, 'shared.sqlite');
    // Started together on a file that does not exist yet: they also race to create and migrate it.
    const results = await Promise.all(
      range(1, 3).map((worker) => runTypescript('test/audit/support/append-worker.ts', [path, `worker-${worker}`, '40'])),
    );
    for (const result of results) expect(result).toMatchObject({ status: 0, stderr: '' });
    const seqs = results.flatMap((result) => JSON.parse(result.stdout) as number[]);
    expect(seqs.sort((a, b) => a - b)).toEqual(range(1, 120));

    const dataSource = await openDatabase({ type: 'better-sqlite3', path });
    try {
      expect(await verifyAuditChain(dataSource, { trustedCheckpointKeys: [] })).toMatchObject({ ok: true, entriesVerified: 120, lastSeq: 120 });
      expect(await dataSource.query('SELECT COUNT(*) AS n FROM migrations')).toEqual([{ n: SQLITE_MIGRATIONS.length }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
