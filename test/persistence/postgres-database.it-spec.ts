import { openDatabase, POSTGRES_MIGRATIONS, runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { describePostgres } from './support/describe-postgres';

describePostgres('PostgreSQL database', () => {
  let database: TestDatabase;
  const open: DataSource[] = [];

  beforeEach(async () => {
    database = await createTestDatabase('smpki_test');
  });

  afterEach(async () => {
    for (const dataSource of open.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  });

  async function openTracked(poolSize: number, applicationName?: string): Promise<DataSource> {
    const dataSource = await openDatabase({ type: 'postgres', url: database.url, poolSize, applicationName });
    open.push(dataSource);
    return dataSource;
  }

  it('names its connections and never opens more than the pool size', async () => {
    const dataSource = await openTracked(2, 'smpki-sub-ca');
    const observer = await openTracked(1, 'smpki-observer');
    const busy = Promise.all(Array.from({ length: 5 }, () => dataSource.query('SELECT pg_sleep(0.5)')));
    let most = 0;
    for (let probe = 0; probe < 8; probe++) {
      const [row] = await observer.query(
        `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'smpki-sub-ca'`,
      );
      most = Math.max(most, row.n);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await busy;
    expect(most).toBe(2);
  });

  it('lets replicas that start together migrate once (advisory lock), also with a pool of one', async () => {
    const replicas = await Promise.all([openTracked(1), openTracked(1), openTracked(2)]);
    const migrations = await replicas[0].query('SELECT name FROM migrations');
    expect(migrations.map((m: { name: string }) => m.name).sort()).toEqual(POSTGRES_MIGRATIONS.map((migration) => migration.name).sort());
  });

  it('runs transactions concurrently, each on its own connection', async () => {
    const dataSource = await openTracked(3);
    await dataSource.query('CREATE TABLE t (v integer)');
    const started = Date.now();
    await Promise.all(
      [1, 2, 3].map((v) =>
        runInTransaction(dataSource, async (manager) => {
          await manager.query('INSERT INTO t (v) VALUES ($1)', [v]);
          await manager.query('SELECT pg_sleep(0.4)');
        }),
      ),
    );
    expect(Date.now() - started).toBeLessThan(1100); // one after the other: 1.2 s
    expect(await dataSource.query('SELECT COUNT(*)::int AS n FROM t')).toEqual([{ n: 3 }]);
  });

  it('names the database without its password when it cannot connect', async () => {
    const url = new URL(database.url);
    url.password = 'not-the-password';
    url.port = '1';
    await expect(openDatabase({ type: 'postgres', url: url.toString(), connectTimeoutMs: 2000 })).rejects.toThrow(
      `cannot open PostgreSQL postgres://postgres:***@127.0.0.1:1/${database.name}`,
    );
  });
});
