/**
 * The outbox publisher on PostgreSQL: two publishers (two replicas of the sub-CA) draining the same outbox at the
 * same time claim disjoint chunks (FOR UPDATE SKIP LOCKED), so the directory receives every row exactly once.
 */
import { HttpDirectoryClient, OutboxPublisher } from '@smpki/ca';
import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { entryKey, openPublicationFixture, rowKey, type PublicationFixture } from './publication-fixture';
import { RecordingDirectory } from './publication-recording-directory';

describePostgres('directory publication from the outbox on PostgreSQL', () => {
  jest.setTimeout(120_000);
  let fixture: PublicationFixture;
  let directory: RecordingDirectory;

  beforeAll(async () => {
    fixture = await openPublicationFixture(postgresTestDatabase);
    directory = await RecordingDirectory.start();
  }, 60_000);
  afterAll(async () => {
    await directory?.stop();
    await fixture?.dispose();
  });

  const publisher = () => new OutboxPublisher(fixture.db.dataSource, new HttpDirectoryClient({ url: directory.url, token: async () => 'token' }), { chunkSize: 3 });

  it('two publishers draining concurrently deliver each row exactly once and mark all published', async () => {
    for (let index = 0; index < 24; index++) await fixture.issueUserCertificate(`replica-${index}`);
    await fixture.signCrl();
    const rows = await fixture.outbox();
    expect(rows).toHaveLength(25);

    const [first, second] = await Promise.all([publisher().drain(), publisher().drain()]);
    expect(first + second).toBe(25);

    const delivered = directory.entries().filter((entry) => entry.kind !== 'ca').map(entryKey);
    expect(delivered).toHaveLength(25);
    expect(new Set(delivered).size).toBe(25);
    expect([...delivered].sort()).toEqual(rows.map(rowKey).sort());
    expect((await fixture.outbox()).filter((row) => row.publishedAt === null)).toEqual([]);
    expect(await publisher().status()).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
  });

  it('reports the lag of rows the directory has not acknowledged, and the error, while it answers 503', async () => {
    directory.failWith = 503;
    const failing = publisher();
    await fixture.issueUserCertificate('lagging');
    await expect(failing.publishOnce()).rejects.toThrow(/503/);
    expect(await failing.status()).toMatchObject({ pending: 1, oldestPendingAgeSeconds: expect.any(Number) });
    directory.failWith = undefined;
    expect(await failing.drain()).toBe(1);
    expect((await failing.status()).pending).toBe(0);
  });
});
