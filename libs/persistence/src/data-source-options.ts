import type { DataSourceOptions } from 'typeorm';
import {
  assertDatabaseConfig,
  type DatabaseConfig,
  DEFAULT_POSTGRES_APPLICATION_NAME,
  DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS,
  DEFAULT_POSTGRES_POOL_SIZE,
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
} from './database-config';
import { type DatabaseLogger, SLOW_QUERY_MS, typeormLogger } from './database-logger';
import { SQLITE_MIGRATIONS } from './migrations/better-sqlite3';
import { POSTGRES_MIGRATIONS } from './migrations/postgres';
import { PLATFORM_ENTITIES } from './platform-entities';
import { prepareSqliteConnection, type SqliteConnection } from './sqlite-connection';

export interface DatabaseOptions {
  /** Receives applied migrations, failed and slow queries. Default: nothing is logged. */
  logger?: DatabaseLogger;
}

/**
 * TypeORM options for the platform's database: every platform entity, the migrations of the dialect, never
 * `synchronize` (the schema changes only through reviewed migrations). Initialise the DataSource with
 * openDatabase() or initializeDataSource(), which give the entity columns the types of the dialect.
 */
export function dataSourceOptions(config: DatabaseConfig, options: DatabaseOptions = {}): DataSourceOptions {
  assertDatabaseConfig(config);
  const common = {
    entities: [...PLATFORM_ENTITIES],
    synchronize: false,
    migrationsRun: false,
    logger: typeormLogger(options.logger),
    maxQueryExecutionTime: SLOW_QUERY_MS,
  };
  if (config.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.url,
      poolSize: config.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE,
      applicationName: config.applicationName ?? DEFAULT_POSTGRES_APPLICATION_NAME,
      connectTimeoutMS: config.connectTimeoutMs ?? DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS,
      migrations: [...POSTGRES_MIGRATIONS],
    };
  }
  const busyTimeoutMs = config.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS;
  const readonly = config.readonly ?? false;
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.path,
    timeout: busyTimeoutMs,
    readonly,
    fileMustExist: readonly,
    prepareDatabase: (db: SqliteConnection) => prepareSqliteConnection(db, { busyTimeoutMs, readonly }),
    migrations: [...SQLITE_MIGRATIONS],
  };
}
