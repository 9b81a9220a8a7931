/** Throw-away databases of each dialect, for computing what the entities need beyond the existing migrations. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig, DatabaseDialect } from '../database-config';

/** Creates an empty database of `dialect`, hands its config to `use`, and removes it afterwards. */
export async function withScratchDatabase<T>(
  dialect: DatabaseDialect,
  postgresAdminUrl: string,
  use: (config: DatabaseConfig) => Promise<T>,
): Promise<T> {
  if (dialect === 'better-sqlite3') {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-migration-'));
    try {
      return await use({ type: 'better-sqlite3', path: join(dir, 'scratch.sqlite') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `smpki_migration_${randomBytes(6).toString('hex')}`;
  await adminQuery(postgresAdminUrl, `CREATE DATABASE "${name}"`);
  try {
    const url = new URL(postgresAdminUrl);
    url.pathname = `/${name}`;
    return await use({ type: 'postgres', url: url.toString(), poolSize: 2, applicationName: 'smpki-generate-migration' });
  } finally {
    await adminQuery(postgresAdminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
