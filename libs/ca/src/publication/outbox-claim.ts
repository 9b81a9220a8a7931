/**
 * One chunk of the outbox, oldest first, delivered and marked published. On PostgreSQL the chunk is claimed with
 * `FOR UPDATE SKIP LOCKED` inside a transaction held until the directory answered, so replicas draining together
 * never deliver a row twice and a replica that dies mid-chunk releases its claim. On SQLite (one service process
 * per file) no transaction is held across the request: it would block every issuance while the directory answers.
 */
import { databaseDialect, runInReadSnapshot, runInTransaction } from '@smpki/persistence';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { PublicationOutbox } from '../entities';
import type { DirectoryClient } from './directory-client';
import { entriesForRows } from './directory-entries';

function pendingQuery(manager: EntityManager, limit: number) {
  return manager
    .getRepository(PublicationOutbox)
    .createQueryBuilder('row')
    .where('row.publishedAt IS NULL')
    .orderBy('row.createdAt', 'ASC')
    .addOrderBy('row.id', 'ASC')
    .limit(limit);
}

async function markPublished(manager: EntityManager, rows: readonly PublicationOutbox[], at: Date): Promise<void> {
  await manager.update(PublicationOutbox, { id: In(rows.map((row) => row.id)), publishedAt: IsNull() }, { publishedAt: at });
}

/** Publishes up to `limit` of the oldest unpublished rows; resolves to how many were published. */
export async function publishOldestChunk(dataSource: DataSource, client: DirectoryClient, limit: number, now: () => Date = () => new Date()): Promise<number> {
  if (databaseDialect(dataSource) === 'postgres') {
    return dataSource.transaction(async (manager) => {
      const rows = await pendingQuery(manager, limit).setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
      if (rows.length === 0) return 0;
      await client.publish(await entriesForRows(manager, rows));
      await markPublished(manager, rows, now());
      return rows.length;
    });
  }
  // A snapshot: a plain read could run inside another caller's open transaction and see rows it may roll back.
  const { rows, entries } = await runInReadSnapshot(dataSource, async (manager) => {
    const pending = await pendingQuery(manager, limit).getMany();
    return { rows: pending, entries: await entriesForRows(manager, pending) };
  });
  if (rows.length === 0) return 0;
  await client.publish(entries);
  await runInTransaction(dataSource, (manager) => markPublished(manager, rows, now()));
  return rows.length;
}
