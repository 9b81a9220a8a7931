/** Fresh, migrated platform databases for tests: a SQLite file in a temporary directory, or a PostgreSQL database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseConfig, openDatabase } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../../support/postgres';

export interface TestDatabase {
  dialect: DatabaseConfig['type'];
  config: DatabaseConfig;
  dataSource: DataSource;
  /** Closes the DataSource (if still open) and removes the database. */
  remove(): Promise<void>;
}

export type TestDatabaseFactory = () => Promise<TestDatabase>;

export async function sqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'smpki-db-'));
  const config: DatabaseConfig = { type: 'better-sqlite3', path: join(dir, 'smpki.sqlite') };
  const dataSource = await openDatabase(config);
  return {
    dialect: config.type,
    config,
    dataSource,
    remove: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresTestDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('smpki_test');
  const config: DatabaseConfig = { type: 'postgres', url: database.url, poolSize: 4 };
  const dataSource = await openDatabase(config);
  return {
    dialect: config.type,
    config,
    dataSource,
    remove: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
