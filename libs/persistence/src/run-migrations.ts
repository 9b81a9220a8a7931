import { createHash } from 'node:crypto';
import { type DataSource, type Migration, MigrationExecutor } from 'typeorm';
import { databaseDialect } from './database-dialect';

/** Session-level advisory lock key that serialises migration runs of all replicas on one PostgreSQL database. */
export const MIGRATION_LOCK_KEY = createHash('sha256').update('smpki:migrations').digest().readBigInt64BE(0).toString();

const SQLITE_MIGRATION_ATTEMPTS = 3;

/**
 * Applies the migrations of the DataSource's dialect that have not run yet, all in one transaction, and returns
 * them. Safe when several processes start at once: on PostgreSQL they queue on an advisory lock; on SQLite the
 * loser of a race retries once the winner has committed (its BEGIN IMMEDIATE waits for the winner).
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<Migration[]> {
  return databaseDialect(dataSource) === 'postgres' ? runUnderAdvisoryLock(dataSource) : runWithRetry(dataSource);
}

async function runUnderAdvisoryLock(dataSource: DataSource): Promise<Migration[]> {
  // One connection holds the lock and runs the migrations, so a pool of size 1 cannot deadlock.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

async function runWithRetry(dataSource: DataSource): Promise<Migration[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.runMigrations({ transaction: 'all' });
    } catch (error) {
      // Another process may have applied the same migrations between our check and our transaction.
      const stillPending = await new MigrationExecutor(dataSource).getPendingMigrations().catch(() => [undefined]);
      if (stillPending.length === 0) return [];
      if (attempt >= SQLITE_MIGRATION_ATTEMPTS) throw error;
    }
  }
}
