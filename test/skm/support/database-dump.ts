/**
 * Everything a database holds, for searching it for secrets: the SQLite file with its WAL (raw bytes), or every
 * row of every table of a PostgreSQL database in its text form (bytea as \x hex).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';

export async function databaseDump(database: { sqlitePath?: string; postgresUrl?: string }): Promise<Buffer> {
  if (database.sqlitePath) {
    const files = [database.sqlitePath, `${database.sqlitePath}-wal`].filter((file) => existsSync(file));
    return Buffer.concat(files.map((file) => readFileSync(file)));
  }
  const client = new Client({ connectionString: database.postgresUrl });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const parts: string[] = [];
    for (const { tablename } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${tablename}" t`);
      parts.push(`-- ${tablename}`, ...rows.rows.map((row) => row.row));
    }
    return Buffer.from(parts.join('\n'), 'utf8');
  } finally {
    await client.end();
  }
}
