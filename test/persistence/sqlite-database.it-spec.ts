import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataSourceOptions, initializeDataSource, openDatabase, runInReadSnapshot, runInTransaction, SQLITE_MIGRATIONS } from '@smpki/persistence';
import { DataSource } from 'typeorm';

describe('SQLite database', () => {
  let dir: string;
  const open: DataSource[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-sqlite-'));
  });

  afterEach(async () => {
    for (const dataSource of open.splice(0)) if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openTracked(path: string, busyTimeoutMs?: number): Promise<DataSource> {
    const dataSource = await openDatabase({ type: 'better-sqlite3', path, busyTimeoutMs });
    open.push(dataSource);
    return dataSource;
  }

  async function pragma(dataSource: DataSource, name: string): Promise<unknown> {
    const [row] = await dataSource.query(`PRAGMA ${name}`);
    return Object.values(row)[0];
  }

  it('creates the parent directory and sets WAL, busy_timeout and foreign keys', async () => {
    const path = join(dir, 'nested', 'deeper', 'smpki.sqlite');
    const dataSource = await openTracked(path, 1234);
    expect(existsSync(path)).toBe(true);
    expect(await pragma(dataSource, 'journal_mode')).toBe('wal');
    expect(await pragma(dataSource, 'busy_timeout')).toBe(1234);
    expect(await pragma(dataSource, 'foreign_keys')).toBe(1);
  });

  it('applies the migrations once, also when reopened', async () => {
    const path = join(dir, 'smpki.sqlite');
    await (await openTracked(path)).destroy();
    const dataSource = await openTracked(path);
    const migrations = await dataSource.query('SELECT name FROM migrations');
    expect(migrations.map((m: { name: string }) => m.name)).toEqual(SQLITE_MIGRATIONS.map((migration) => migration.name));
  });

  it('reports applied migrations to the service logger and writes nothing itself', async () => {
    const logged: Array<[string, string, object?]> = [];
    const logger = {
      info: (message: string, fields?: object) => logged.push(['info', message, fields]),
      warn: (message: string, fields?: object) => logged.push(['warn', message, fields]),
    };
    const write = jest.spyOn(process.stdout, 'write');
    const dataSource = await openDatabase({ type: 'better-sqlite3', path: join(dir, 'smpki.sqlite') }, { logger });
    open.push(dataSource);
    expect(logged).toEqual([['info', 'database migrated', { migrations: SQLITE_MIGRATIONS.map((migration) => migration.name) }]]);
    await expect(dataSource.query('SELECT * FROM no_such_table')).rejects.toThrow('no such table');
    expect(logged[1]).toEqual(['warn', 'database query failed', { error: 'no such table: no_such_table', query: 'SELECT * FROM no_such_table' }]);
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  });

  it('takes the write lock when a transaction begins, so writers in other processes wait for it', async () => {
    const path = join(dir, 'smpki.sqlite');
    const holder = await openTracked(path);
    const other = await openTracked(path, 50);
    await holder.query('CREATE TABLE t (v integer)');
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const begun = new Promise<void>((resolve) => (started = resolve));
    // A transaction that has not written anything yet: with a deferred BEGIN it would hold no lock at all.
    const transaction = runInTransaction(holder, async () => {
      started();
      await holding;
    });
    await begun;
    await expect(other.query('INSERT INTO t (v) VALUES (1)')).rejects.toThrow(/database is locked/);
    release();
    await transaction;
    await other.query('INSERT INTO t (v) VALUES (1)');
  });

  it('reads a snapshot without blocking writers', async () => {
    const path = join(dir, 'smpki.sqlite');
    const reader = await openTracked(path);
    const writer = await openTracked(path, 50);
    await reader.query('CREATE TABLE t (v integer)');
    await reader.query('INSERT INTO t (v) VALUES (1)');
    const seen = await runInReadSnapshot(reader, async (manager) => {
      const before = await manager.query('SELECT COUNT(*) AS n FROM t');
      await writer.query('INSERT INTO t (v) VALUES (2)'); // not blocked by the reader
      const after = await manager.query('SELECT COUNT(*) AS n FROM t');
      return [before[0].n, after[0].n];
    });
    expect(seen).toEqual([1, 1]); // one snapshot
    expect((await reader.query('SELECT COUNT(*) AS n FROM t'))[0].n).toBe(2);
  });

  it('runs overlapping transactions of one process one after the other, each committing or rolling back alone', async () => {
    const dataSource = await openTracked(join(dir, 'smpki.sqlite'));
    await dataSource.query('CREATE TABLE t (v integer)');
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const results = await Promise.allSettled([
      runInTransaction(dataSource, async (manager) => {
        await manager.query('INSERT INTO t (v) VALUES (1)');
        await pause(30);
        throw new Error('first rolls back');
      }),
      runInTransaction(dataSource, async (manager) => {
        await pause(5);
        await manager.query('INSERT INTO t (v) VALUES (2)');
      }),
      runInTransaction(dataSource, async (manager) => {
        await manager.query('INSERT INTO t (v) VALUES (3)');
        // Nested: joins as a savepoint instead of waiting for itself.
        await runInTransaction(dataSource, (inner) => inner.query('INSERT INTO t (v) VALUES (4)'));
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect((await dataSource.query('SELECT v FROM t ORDER BY v')).map((r: { v: number }) => r.v)).toEqual([2, 3, 4]);
  });

  it('opens read-only without creating, migrating or writing', async () => {
    const path = join(dir, 'smpki.sqlite');
    await expect(openDatabase({ type: 'better-sqlite3', path, readonly: true })).rejects.toThrow(`cannot open SQLite ${path}`);
    expect(existsSync(path)).toBe(false);
    await (await openTracked(path)).destroy();
    const readonly = await openDatabase({ type: 'better-sqlite3', path, readonly: true });
    open.push(readonly);
    expect(await readonly.query('SELECT COUNT(*) AS n FROM audit_event')).toEqual([{ n: 0 }]);
    await expect(readonly.query('DELETE FROM audit_event')).rejects.toThrow(/readonly/);
  });

  it('refuses to initialise SQLite entity metadata outside initializeDataSource', async () => {
    const dataSource = new DataSource(dataSourceOptions({ type: 'better-sqlite3', path: join(dir, 'a.sqlite') }));
    await expect(dataSource.initialize()).rejects.toThrow(/Data type "(bytea|timestamptz)" .* is not supported by "better-sqlite3"/);
    await expect(initializeDataSource(dataSource)).resolves.toBe(dataSource);
    open.push(dataSource);
  });
});
