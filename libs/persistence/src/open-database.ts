import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { type DatabaseConfig, describeDatabase } from './database-config';
import { type DatabaseOptions, dataSourceOptions } from './data-source-options';
import { initializeDataSource } from './initialize-data-source';
import { runPendingMigrations } from './run-migrations';

/**
 * Opens the platform database: connects, builds the entity metadata for the dialect and applies pending
 * migrations. A read-only SQLite database is opened as it is (nothing is created or migrated).
 */
export async function openDatabase(config: DatabaseConfig, options: DatabaseOptions = {}): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(config, options));
  if (config.type === 'better-sqlite3' && config.path !== ':memory:' && !config.readonly) {
    mkdirSync(dirname(config.path), { recursive: true });
  }
  try {
    await initializeDataSource(dataSource);
  } catch (error) {
    throw new Error(`cannot open ${describeDatabase(config)}: ${(error as Error).message}`, { cause: error });
  }
  if (config.type === 'better-sqlite3' && config.readonly) return dataSource;
  try {
    const applied = await runPendingMigrations(dataSource);
    if (applied.length > 0) options.logger?.info('database migrated', { migrations: applied.map((migration) => migration.name) });
  } catch (error) {
    await dataSource.destroy();
    throw new Error(`cannot migrate ${describeDatabase(config)}: ${(error as Error).message}`, { cause: error });
  }
  return dataSource;
}
