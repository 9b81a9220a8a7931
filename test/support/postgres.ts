/**
 * A fresh PostgreSQL database per test file on the development/CI server (127.0.0.1:5432, trust auth).
 * With CI=true the server must be there: a missing server fails the suite instead of skipping it.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const PG_ADMIN_URL = process.env.SMPKI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function postgresAvailable(): Promise<boolean> {
  const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required when CI=true but ${PG_ADMIN_URL} is not reachable: ${(error as Error).message}`);
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createTestDatabase(prefix = 'smpki_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
