/**
 * Publication outbox rows: whatever changes what the directory must show (a certificate issued or revoked, a CRL
 * signed) enqueues a row in the transaction that makes the change, so the directory learns of every committed
 * change even when a service stops before publishing it (issue 5's publisher drains the outbox).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CrlReason } from '@smpki/crypto';
import { databaseDialect } from '@smpki/persistence';
import { CaCertificate, PublicationOutbox } from './entities';

export type PublicationRef = { kind: 'certificate'; serial: string } | { kind: 'crl'; crlNumber: number };

export function publicationRow(caName: string, ref: PublicationRef, now: Date = new Date()): PublicationOutbox {
  return Object.assign(new PublicationOutbox(), {
    id: randomUUID(),
    kind: ref.kind,
    ca: caName,
    serial: ref.kind === 'certificate' ? ref.serial : null,
    crlNumber: ref.kind === 'crl' ? ref.crlNumber : null,
    createdAt: now,
    publishedAt: null,
  });
}

/** The PostgreSQL channel the publisher LISTENs on (libs/ca/src/publication/publication-listener.ts). */
export const PUBLICATION_CHANNEL = 'smpki_publication';

/**
 * Wakes the publishers of every replica once the caller's transaction commits: PostgreSQL delivers a NOTIFY
 * only at commit (never for a rollback) and folds repeats within one transaction into one. On SQLite, nothing:
 * there the one publisher process polls at a short interval instead (see outbox-publisher.ts).
 */
export async function notifyPublication(manager: EntityManager): Promise<void> {
  if (databaseDialect(manager) === 'postgres') await manager.query(`NOTIFY ${PUBLICATION_CHANNEL}`);
}

export async function enqueuePublication(manager: EntityManager, caName: string, ref: PublicationRef, now?: Date): Promise<void> {
  await manager.insert(PublicationOutbox, publicationRow(caName, ref, now));
  await notifyPublication(manager);
}

export interface RevocationChange {
  authorityId: string;
  caName: string;
  serial: string;
  reason: CrlReason | string;
  invalidityDate?: Date | null;
  at: Date;
}

/**
 * Marks a good certificate revoked and enqueues its publication, inside the caller's transaction. False when it
 * was not good any more (already revoked): nothing changed.
 */
export async function markRevoked(manager: EntityManager, change: RevocationChange): Promise<boolean> {
  const result = await manager.update(
    CaCertificate,
    { authorityId: change.authorityId, serial: change.serial, status: 'good' },
    { status: 'revoked', revokedAt: change.at, revocationReason: change.reason, invalidityDate: change.invalidityDate ?? null },
  );
  if (result.affected !== 1) return false;
  await enqueuePublication(manager, change.caName, { kind: 'certificate', serial: change.serial }, change.at);
  return true;
}
