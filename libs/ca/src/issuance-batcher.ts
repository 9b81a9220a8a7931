/**
 * Group commit for issued certificates. Each issuance in its own transaction takes the audit head lock and a few
 * round trips, so concurrent issuances queue on that lock while the HSM idles. Here every issuance waiting when
 * the previous batch commits is stored in one transaction: one multi-row insert into ca_certificate, one audit
 * head lock with the events chained in order, one commit. A request is answered only when its batch commits.
 */
import type { AuditEventInput, AuditTrail } from '@smpki/audit';
import { insertRows, runInTransaction } from '@smpki/persistence';
import { AsyncResource } from 'node:async_hooks';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { CaCertificate, PublicationOutbox } from './entities';
import { notifyPublication } from './publication';

/** Rows of another table stored with the certificates (a meter row, publication outbox rows). */
export interface RelatedRows<T extends ObjectLiteral = ObjectLiteral> {
  entity: EntityTarget<T>;
  rows: readonly T[];
}

/**
 * What one request stores: all of it or none (a CRMF request's three certificates; a meter row and its
 * certificate). A unique violation in any of it fails only this issuance (see commit).
 */
export interface PendingIssuance {
  rows: readonly CaCertificate[];
  /** Inserted after the certificates, rows of the same entity of the whole batch in one statement. */
  related?: readonly RelatedRows[];
  /**
   * Changes beyond inserts (a replaced meter's row and its old certificate), run after the inserts; throwing
   * fails this issuance like a failed insert.
   */
  within?: (manager: EntityManager) => Promise<void>;
  /** Audit events in the order they are chained. */
  events: readonly AuditEventInput[];
}

interface Waiting {
  issuance: PendingIssuance;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Certificates per batch: bounds the statement size and the time one transaction holds the audit head. */
export const DEFAULT_ISSUANCE_BATCH_CERTIFICATES = 256;

export class IssuanceBatcher {
  private readonly queue: Waiting[] = [];
  private writing = false;
  /**
   * The async context of the constructor: batches run in it, not in the context of whichever request started the
   * writer (on SQLite a request inside a transaction would otherwise make every later batch a savepoint of it).
   */
  private readonly context = new AsyncResource('IssuanceBatcher');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly maxCertificates: number = DEFAULT_ISSUANCE_BATCH_CERTIFICATES,
  ) {
    if (!Number.isSafeInteger(maxCertificates) || maxCertificates <= 0) {
      throw new RangeError(`issuance batch size must be a positive integer, got ${String(maxCertificates)}`);
    }
  }

  /** Resolves once the issuance is committed; rejects with the database's error when it cannot be stored. */
  store(issuance: PendingIssuance): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ issuance, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        this.context.runInAsyncScope(() => void this.writeAll());
      }
    });
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.nextBatch());
    } finally {
      this.writing = false;
    }
  }

  /** The oldest waiting issuances up to the bound (at least one, however large). */
  private nextBatch(): Waiting[] {
    let certificates = 0;
    let taken = 0;
    while (taken < this.queue.length) {
      const size = this.queue[taken]!.issuance.rows.length;
      if (taken > 0 && certificates + size > this.maxCertificates) break;
      certificates += size;
      taken++;
    }
    return this.queue.splice(0, taken);
  }

  /** A failing batch is retried one issuance at a time, so one bad row (a serial clash) fails only its own request. */
  private async commit(batch: Waiting[]): Promise<void> {
    try {
      await this.write(batch.map((waiting) => waiting.issuance));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiting of batch) {
        await this.write([waiting.issuance]).then(waiting.resolve, waiting.reject);
      }
    }
  }

  private write(issuances: readonly PendingIssuance[]): Promise<void> {
    const rows = issuances.flatMap((issuance) => issuance.rows);
    const events = issuances.flatMap((issuance) => issuance.events);
    return runInTransaction(this.dataSource, async (manager) => {
      await insertRows(manager, CaCertificate, rows);
      const related = relatedByEntity(issuances);
      for (const group of related) await insertRows(manager, group.entity, group.rows);
      for (const issuance of issuances) await issuance.within?.(manager);
      // Outbox rows written here bypass enqueuePublication: wake the publishers (delivered at commit) ourselves.
      if (related.some((group) => group.entity === PublicationOutbox)) await notifyPublication(manager);
      await this.audit.appendMany(events, manager);
    });
  }
}

/** The related rows of a batch, one group per entity in the order the entities first appear. */
function relatedByEntity(issuances: readonly PendingIssuance[]): RelatedRows[] {
  const groups = new Map<EntityTarget<ObjectLiteral>, ObjectLiteral[]>();
  for (const { entity, rows } of issuances.flatMap((issuance) => issuance.related ?? [])) {
    const group = groups.get(entity) ?? [];
    group.push(...rows);
    groups.set(entity, group);
  }
  return [...groups].map(([entity, rows]) => ({ entity, rows }));
}
