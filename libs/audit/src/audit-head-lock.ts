/**
 * The lock that makes appenders take turns, on both databases, and the head state it protects.
 */
import { databaseDialect } from '@smpki/persistence';
import type { EntityManager } from 'typeorm';
import { AuditIntegrityError } from './audit-errors';
import { AUDIT_HEAD_ID, AuditEvent, AuditHead } from './entities';
import { GENESIS_HASH } from './event-hash';

export interface AuditHeadState {
  lastSeq: number;
  lastHash: Buffer;
  checkpointSeq: number;
  checkpointHash: Buffer;
}

/**
 * Locks the audit head row until the caller's transaction ends and returns it. PostgreSQL: SELECT ... FOR
 * UPDATE, so other replicas wait at this point. SQLite: a no-op UPDATE first, so the transaction holds the
 * database write lock before it reads (other processes wait in busy_timeout) and cannot read a head that
 * another process is about to change. Creates the head on the first append.
 */
export async function lockAuditHead(manager: EntityManager): Promise<AuditHeadState> {
  const postgres = databaseDialect(manager) === 'postgres';
  const lock = async (): Promise<AuditHead | null> => {
    if (!postgres) await manager.query('UPDATE "audit_head" SET "last_seq" = "last_seq" WHERE "id" = ?', [AUDIT_HEAD_ID]);
    return manager.findOne(AuditHead, {
      where: { id: AUDIT_HEAD_ID },
      ...(postgres ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  };
  let head = await lock();
  if (!head) {
    await createHead(manager);
    head = await lock();
    if (!head) throw new AuditIntegrityError('the audit_head row could not be created');
  }
  // A head at seq 0 over a non-empty log (its row was deleted and re-created) would restart the chain at seq 1.
  if (head.lastSeq === 0 && (await manager.createQueryBuilder(AuditEvent, 'event').getExists())) {
    throw new AuditIntegrityError(
      'the audit_head row was lost while audit_event holds entries; verify the chain and restore the head from its last entry',
    );
  }
  return { lastSeq: head.lastSeq, lastHash: head.lastHash, checkpointSeq: head.checkpointSeq, checkpointHash: head.checkpointHash };
}

export async function saveAuditHead(manager: EntityManager, head: AuditHeadState): Promise<void> {
  await manager.update(AuditHead, { id: AUDIT_HEAD_ID }, head);
}

/** Concurrent first appenders: one insert wins, the others do nothing and then lock the winner's row. */
async function createHead(manager: EntityManager): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(AuditHead)
    .values({ id: AUDIT_HEAD_ID, lastSeq: 0, lastHash: GENESIS_HASH, checkpointSeq: 0, checkpointHash: GENESIS_HASH })
    .orIgnore()
    .execute();
}
