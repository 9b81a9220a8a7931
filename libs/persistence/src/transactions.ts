/**
 * Transactions that behave the same on both databases.
 *
 * TypeORM's better-sqlite3 driver has one connection per DataSource: two `dataSource.transaction()` calls that
 * overlap in time (two requests in one process) both send BEGIN and the second fails with "cannot start a
 * transaction within a transaction". On SQLite the functions here therefore queue transactions per DataSource;
 * a transaction started inside another one (same async call chain) joins it as a savepoint instead of waiting
 * for itself. On PostgreSQL every transaction gets its own pooled connection and nothing is queued.
 *
 * On SQLite, queries sent outside these functions while a transaction is open run inside that transaction:
 * code that writes should always go through runInTransaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { databaseDialect } from './database-dialect';
import { SerialQueue } from './serial-queue';

export type TransactionWork<T> = (manager: EntityManager) => Promise<T>;

const sqliteQueues = new WeakMap<DataSource, SerialQueue>();
/** The SQLite DataSources whose transaction the current async call chain is inside. */
const openSqliteTransactions = new AsyncLocalStorage<ReadonlySet<DataSource>>();

/** Runs `work` in a read-write transaction: committed when it resolves, rolled back when it throws. */
export function runInTransaction<T>(dataSource: DataSource, work: TransactionWork<T>): Promise<T> {
  if (databaseDialect(dataSource) === 'postgres') return dataSource.transaction(work);
  return inSqliteTransaction(dataSource, () => dataSource.transaction(work));
}

/**
 * Runs `work` in a read-only transaction that sees one consistent snapshot of the database and does not block
 * writers (PostgreSQL REPEATABLE READ; SQLite a deferred transaction, which in WAL mode reads a snapshot).
 */
export function runInReadSnapshot<T>(dataSource: DataSource, work: TransactionWork<T>): Promise<T> {
  if (databaseDialect(dataSource) === 'postgres') {
    return dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      return work(manager);
    });
  }
  if (isInSqliteTransaction(dataSource)) return work(dataSource.manager);
  return inSqliteTransaction(dataSource, async () => {
    // TypeORM's own BEGIN is made IMMEDIATE (sqlite-connection.ts); a snapshot read must not take the write lock.
    const runner = dataSource.createQueryRunner();
    await runner.query('BEGIN DEFERRED TRANSACTION');
    try {
      const result = await work(runner.manager);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK');
      throw error;
    }
  });
}

function isInSqliteTransaction(dataSource: DataSource): boolean {
  return openSqliteTransactions.getStore()?.has(dataSource) ?? false;
}

function inSqliteTransaction<T>(dataSource: DataSource, transaction: () => Promise<T>): Promise<T> {
  // Nested: TypeORM turns the inner transaction into a savepoint on the same connection.
  if (isInSqliteTransaction(dataSource)) return transaction();
  let queue = sqliteQueues.get(dataSource);
  if (!queue) {
    queue = new SerialQueue();
    sqliteQueues.set(dataSource, queue);
  }
  const open = new Set(openSqliteTransactions.getStore() ?? []).add(dataSource);
  return queue.run(() => openSqliteTransactions.run(open, transaction));
}
