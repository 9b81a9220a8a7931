/**
 * The migrations of each dialect produce exactly the schema the entities describe (what
 * `typeorm migration:generate --check` checks), and the dialect-dependent columns get their dialect's types.
 */
import { dataSourceOptions, initializeDataSource, pendingSchemaChanges } from '@smpki/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase, PG_ADMIN_URL } from '../support/postgres';
import { describePostgres } from './support/describe-postgres';
import { runTypescript } from './support/run-typescript';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabase } from './support/test-databases';

async function columnTypes(db: TestDatabase, table: string): Promise<Record<string, string>> {
  const rows: Array<{ name: string; type: string }> =
    db.dialect === 'postgres'
      ? await db.dataSource.query(
          `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = $1`,
          [table],
        )
      : await db.dataSource.query(`SELECT name, type FROM pragma_table_info('${table}')`);
  return Object.fromEntries(rows.map((row) => [row.name, row.type.toLowerCase()]));
}

describe('schema agreement on SQLite', () => {
  it('leaves nothing for migration:generate after the migrations ran, with blob and datetime columns', async () => {
    const db = await sqliteTestDatabase();
    try {
      expect(await pendingSchemaChanges(db.dataSource)).toEqual([]);
      expect(await columnTypes(db, 'audit_event')).toMatchObject({ hash: 'blob', prev_hash: 'blob', time: 'datetime', seq: 'bigint' });
    } finally {
      await db.remove();
    }
  });

  it('reports the missing tables of a database that was not migrated', async () => {
    const dataSource = await initializeDataSource(new DataSource(dataSourceOptions({ type: 'better-sqlite3', path: ':memory:' })));
    try {
      expect(await pendingSchemaChanges(dataSource)).toEqual(expect.arrayContaining([expect.stringMatching(/^CREATE TABLE "audit_event"/)]));
    } finally {
      await dataSource.destroy();
    }
  });
});

describePostgres('schema agreement on PostgreSQL', () => {
  it('leaves nothing for migration:generate after the migrations ran, with bytea and timestamptz columns', async () => {
    const db = await postgresTestDatabase();
    try {
      expect(await pendingSchemaChanges(db.dataSource)).toEqual([]);
      expect(await columnTypes(db, 'audit_checkpoint')).toMatchObject({
        signature: 'bytea',
        signer_spki: 'bytea',
        time: 'timestamp with time zone',
        seq: 'bigint',
      });
    } finally {
      await db.remove();
    }
  });

  it('serves both dialects from one process, even when they open at the same time', async () => {
    const [postgres, sqlite] = await Promise.all([postgresTestDatabase(), sqliteTestDatabase()]);
    try {
      expect(await columnTypes(postgres, 'audit_event')).toMatchObject({ hash: 'bytea' });
      expect(await columnTypes(sqlite, 'audit_event')).toMatchObject({ hash: 'blob' });
      expect(await pendingSchemaChanges(postgres.dataSource)).toEqual([]);
      expect(await pendingSchemaChanges(sqlite.dataSource)).toEqual([]);
    } finally {
      await Promise.all([postgres.remove(), sqlite.remove()]);
    }
  });

  it('reports the missing tables of a database that was not migrated', async () => {
    const database = await createTestDatabase('smpki_test');
    const dataSource = await initializeDataSource(new DataSource(dataSourceOptions({ type: 'postgres', url: database.url })));
    try {
      expect(await pendingSchemaChanges(dataSource)).toEqual(expect.arrayContaining([expect.stringMatching(/^CREATE TABLE "audit_event"/)]));
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('has a migration generator that finds the entities and both migration histories in agreement', async () => {
    const result = await runTypescript('libs/persistence/src/tools/generate-migration.ts', ['--check', '--pg-url', PG_ADMIN_URL]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toBe('SQLite: entities and migrations agree\nPostgreSQL: entities and migrations agree\n');
  });
});
