/**
 * Where the platform keeps its data: one SQLite file (development, single-host installations) or a PostgreSQL
 * server (production, several replicas). `libs/platform` parses the environment into this shape; the library
 * never reads `process.env`.
 */

export interface SqliteDatabaseConfig {
  type: 'better-sqlite3';
  /** The database file (its parent directory is created when missing), or `:memory:` for a throw-away database. */
  path: string;
  /** How long a writer waits for another process's write lock before failing with SQLITE_BUSY. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Opens an existing file read-only (verifiers, reports): nothing is created, migrated or written. */
  readonly?: boolean;
}

export interface PostgresDatabaseConfig {
  type: 'postgres';
  /** `postgres://user:password@host:port/database` (or `postgresql://`). */
  url: string;
  /** Connections in this process's pool. Default 10. */
  poolSize?: number;
  /** Shown in `pg_stat_activity.application_name`, so operators see which service holds a connection. Default `smpki`. */
  applicationName?: string;
  /** How long to wait for a new connection. Default 10000 ms. */
  connectTimeoutMs?: number;
}

export type DatabaseConfig = SqliteDatabaseConfig | PostgresDatabaseConfig;

/** The two database dialects; the value is TypeORM's driver name. */
export type DatabaseDialect = DatabaseConfig['type'];

export const DATABASE_DIALECTS: readonly DatabaseDialect[] = ['better-sqlite3', 'postgres'];

export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5000;
export const DEFAULT_POSTGRES_POOL_SIZE = 10;
export const DEFAULT_POSTGRES_APPLICATION_NAME = 'smpki';
export const DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS = 10000;

export class DatabaseConfigError extends Error {
  override readonly name = 'DatabaseConfigError';
}

/** Throws {@link DatabaseConfigError} naming the first setting that is wrong. */
export function assertDatabaseConfig(config: DatabaseConfig): void {
  if (config === null || typeof config !== 'object') throw new DatabaseConfigError('database config must be an object');
  switch (config.type) {
    case 'better-sqlite3':
      return assertSqliteConfig(config);
    case 'postgres':
      return assertPostgresConfig(config);
    default:
      throw new DatabaseConfigError(
        `database type must be one of ${DATABASE_DIALECTS.join(', ')}, got ${JSON.stringify((config as { type?: unknown }).type)}`,
      );
  }
}

function assertSqliteConfig(config: SqliteDatabaseConfig): void {
  if (typeof config.path !== 'string' || config.path.trim() === '') {
    throw new DatabaseConfigError('SQLite database path must be a non-empty string');
  }
  if (config.readonly && config.path === ':memory:') {
    throw new DatabaseConfigError('a read-only SQLite database needs a file path, not :memory:');
  }
  assertPositiveInteger('SQLite busyTimeoutMs', config.busyTimeoutMs);
}

function assertPostgresConfig(config: PostgresDatabaseConfig): void {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new DatabaseConfigError('PostgreSQL url is not a valid URL (expected postgres://user@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new DatabaseConfigError(`PostgreSQL url must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  if (url.pathname.length <= 1) {
    throw new DatabaseConfigError(`PostgreSQL url ${redactDatabaseUrl(config.url)} names no database`);
  }
  assertPositiveInteger('PostgreSQL poolSize', config.poolSize);
  assertPositiveInteger('PostgreSQL connectTimeoutMs', config.connectTimeoutMs);
  if (config.applicationName !== undefined && (typeof config.applicationName !== 'string' || config.applicationName === '')) {
    throw new DatabaseConfigError('PostgreSQL applicationName must be a non-empty string');
  }
}

function assertPositiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
    throw new DatabaseConfigError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

/** The URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}

/** A short description of where the data lives, safe to log. */
export function describeDatabase(config: DatabaseConfig): string {
  return config.type === 'postgres' ? `PostgreSQL ${redactDatabaseUrl(config.url)}` : `SQLite ${config.path}`;
}
