/**
 * What the service stored, read straight from its database after the run: the issuance benchmark checks that every
 * certificate it was handed is in ca_certificate (nothing lost, nothing extra) and that no serial repeats.
 */
import { DataSource } from 'typeorm';
import { Client } from 'pg';

export interface StoredCertificates {
  rows: number;
  distinctSerials: number;
}

const COUNT = 'SELECT COUNT(*) AS rows, COUNT(DISTINCT serial) AS serials FROM ca_certificate';

/** `databaseUrl` as given to the service (SMPKI_DB_URL): postgres://... or sqlite:<file>. */
export async function countStoredCertificates(databaseUrl: string): Promise<StoredCertificates> {
  if (databaseUrl.startsWith('sqlite:')) {
    // Through typeorm's driver: better-sqlite3 ships no type declarations.
    const db = await new DataSource({ type: 'better-sqlite3', database: databaseUrl.slice('sqlite:'.length) }).initialize();
    try {
      const [row] = (await db.query(COUNT)) as Array<{ rows: number; serials: number }>;
      return { rows: Number(row!.rows), distinctSerials: Number(row!.serials) };
    } finally {
      await db.destroy();
    }
  }
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rows: string; serials: string }>(COUNT);
    return { rows: Number(rows[0]!.rows), distinctSerials: Number(rows[0]!.serials) };
  } finally {
    await client.end();
  }
}
