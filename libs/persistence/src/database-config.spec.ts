import { assertDatabaseConfig, type DatabaseConfig, describeDatabase, redactDatabaseUrl } from './database-config';
import { dataSourceOptions } from './data-source-options';
import { SQLITE_MIGRATIONS } from './migrations/better-sqlite3';

describe('database config', () => {
  it.each<[unknown, string]>([
    [{ type: 'mysql', url: 'mysql://x' }, 'database type must be one of better-sqlite3, postgres, got "mysql"'],
    [{ type: 'better-sqlite3', path: ' ' }, 'SQLite database path must be a non-empty string'],
    [{ type: 'better-sqlite3', path: ':memory:', readonly: true }, 'a read-only SQLite database needs a file path'],
    [{ type: 'better-sqlite3', path: 'a.db', busyTimeoutMs: -1 }, 'SQLite busyTimeoutMs must be a positive integer, got -1'],
    [{ type: 'postgres', url: 'not a url' }, 'PostgreSQL url is not a valid URL'],
    [{ type: 'postgres', url: 'mysql://u:secret@h/db' }, 'PostgreSQL url must start with postgres:// or postgresql://, got mysql://'],
    [{ type: 'postgres', url: 'postgres://u:secret@h:5432' }, 'PostgreSQL url postgres://u:***@h:5432 names no database'],
    [{ type: 'postgres', url: 'postgres://h/db', poolSize: 0 }, 'PostgreSQL poolSize must be a positive integer, got 0'],
  ])('refuses %j naming the setting', (config, message) => {
    expect(() => assertDatabaseConfig(config as DatabaseConfig)).toThrow(message);
    expect(() => assertDatabaseConfig(config as DatabaseConfig)).not.toThrow('secret');
  });

  it('redacts passwords for messages', () => {
    expect(redactDatabaseUrl('postgres://smpki:s3cret@db:5432/smpki')).toBe('postgres://smpki:***@db:5432/smpki');
    expect(describeDatabase({ type: 'postgres', url: 'postgres://smpki:s3cret@db/smpki' })).toBe('PostgreSQL postgres://smpki:***@db/smpki');
    expect(describeDatabase({ type: 'better-sqlite3', path: '/var/lib/smpki/ca.sqlite' })).toBe('SQLite /var/lib/smpki/ca.sqlite');
  });

  it('builds PostgreSQL options with pool size, application name and no synchronize', () => {
    const options = dataSourceOptions({ type: 'postgres', url: 'postgres://h/db' });
    expect(options).toMatchObject({ type: 'postgres', poolSize: 10, applicationName: 'smpki', synchronize: false, migrationsRun: false });
    expect(dataSourceOptions({ type: 'postgres', url: 'postgres://h/db', poolSize: 3, applicationName: 'smpki-skm' })).toMatchObject({
      poolSize: 3,
      applicationName: 'smpki-skm',
    });
  });

  it('builds SQLite options with the busy timeout and the migrations of that dialect', () => {
    const sqlite = dataSourceOptions({ type: 'better-sqlite3', path: 'a.db' });
    const postgres = dataSourceOptions({ type: 'postgres', url: 'postgres://h/db' });
    expect(sqlite).toMatchObject({ type: 'better-sqlite3', database: 'a.db', timeout: 5000, synchronize: false });
    expect(sqlite.migrations).toEqual([...SQLITE_MIGRATIONS]);
    expect(sqlite.migrations).not.toEqual(postgres.migrations);
  });
});
