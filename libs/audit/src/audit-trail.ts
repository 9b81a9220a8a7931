import type { Signer } from '@smpki/hsm';
import { databaseDialect, insertRows, runInTransaction } from '@smpki/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuditEventInput, type AuditRecord, assertServiceName, type PreparedAuditEvent, prepareAuditEvent } from './audit-event-input';
import { type AuditHeadState, lockAuditHead, saveAuditHead } from './audit-head-lock';
import { checkpointHash, checkpointPayload, checkpointSignatureHash } from './checkpoint-signature';
import { AuditCheckpoint, AuditEvent } from './entities';
import { computeEventHash } from './event-hash';

export interface AuditTrailOptions {
  /** The service recording (stored with every entry), e.g. `sub-ca`. */
  service: string;
  /** The HSM key that signs checkpoints. Without it the trail is hash-chained but never sealed. */
  checkpointSigner?: Signer;
  /** Seal automatically once this many entries follow the last checkpoint. Default 100 (with a signer). */
  checkpointEvery?: number;
  /**
   * An automatic checkpoint whose signing fails (HSM unavailable) does not fail the append that triggered it;
   * it is retried with the next append and reported here. Default: a process warning.
   */
  onCheckpointError?: (error: Error) => void;
}

/** A signed checkpoint as stored. */
export interface AuditCheckpointRecord {
  seq: number;
  time: Date;
  headHash: Buffer;
  prevCheckpointHash: Buffer;
  hash: Buffer;
  signature: Buffer;
  signerKeyUri: string;
  signerSpki: Buffer;
}

export const DEFAULT_CHECKPOINT_EVERY = 100;

/**
 * The service's append-only, hash-chained audit log. Several instances (replicas on one PostgreSQL database,
 * processes on one SQLite file) may append at once: they take turns on the audit_head row and extend a single
 * gap-free chain.
 */
export class AuditTrail {
  private readonly service: string;
  private readonly signer?: Signer;
  private readonly checkpointEvery: number;
  private readonly onCheckpointError: (error: Error) => void;

  constructor(
    private readonly dataSource: DataSource,
    options: AuditTrailOptions,
  ) {
    databaseDialect(dataSource);
    assertServiceName(options.service);
    const every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    if (!Number.isSafeInteger(every) || every <= 0) {
      throw new RangeError(`audit checkpointEvery must be a positive integer, got ${String(options.checkpointEvery)}`);
    }
    this.service = options.service;
    this.signer = options.checkpointSigner;
    this.checkpointEvery = every;
    this.onCheckpointError = options.onCheckpointError ?? reportAsProcessWarning;
  }

  /**
   * Records an event. With `manager` the entry is written in the caller's transaction and commits or rolls back
   * with it (on SQLite that transaction must come from runInTransaction of @smpki/persistence); without, in a
   * transaction of its own. Refuses invalid events and secret-looking details before writing anything.
   */
  async append(event: AuditEventInput, manager?: EntityManager): Promise<AuditRecord> {
    const prepared = prepareAuditEvent(event);
    const write = (transaction: EntityManager) => this.appendLocked(transaction, prepared);
    return manager ? write(manager) : runInTransaction(this.dataSource, write);
  }

  /**
   * Records several events in order under one lock of the audit head: the same seqs, hashes and automatic
   * checkpoints as appending them one by one, with a few statements instead of a few per event. With `manager`
   * the entries are written in the caller's transaction (as {@link append}); every event is checked before
   * anything is written, so one invalid event refuses them all.
   */
  async appendMany(events: readonly AuditEventInput[], manager?: EntityManager): Promise<AuditRecord[]> {
    const prepared = events.map((event) => prepareAuditEvent(event));
    if (prepared.length === 0) return [];
    const write = (transaction: EntityManager) => this.appendManyLocked(transaction, prepared);
    return manager ? write(manager) : runInTransaction(this.dataSource, write);
  }

  /**
   * Seals every entry recorded so far with a signed checkpoint (call it on shutdown). Returns undefined when
   * there is nothing new to seal. Signing errors are thrown.
   */
  async checkpoint(): Promise<AuditCheckpointRecord | undefined> {
    const signer = this.signer;
    if (!signer) throw new Error(`the audit trail of ${this.service} has no checkpointSigner`);
    return runInTransaction(this.dataSource, async (manager) => {
      const head = await lockAuditHead(manager);
      if (head.lastSeq === head.checkpointSeq) return undefined;
      const checkpoint = await signCheckpoint(signer, head);
      await this.storeCheckpoint(manager, head, checkpoint);
      return checkpoint;
    });
  }

  private async appendLocked(manager: EntityManager, event: PreparedAuditEvent): Promise<AuditRecord> {
    const head = await lockAuditHead(manager);
    const record = this.chain(head, event);
    await manager.insert(AuditEvent, { ...record, details: event.details });
    const next: AuditHeadState = { ...head, lastSeq: record.seq, lastHash: record.hash };
    if (this.signer && next.lastSeq - next.checkpointSeq >= this.checkpointEvery) {
      await this.sealAutomatically(manager, this.signer, next);
    } else {
      await saveAuditHead(manager, next);
    }
    return record;
  }

  /**
   * Chains the events in memory, sealing where one-by-one appends would have (a checkpoint whose signing fails is
   * retried at the next event, as then), and writes the entries before the checkpoints that seal them.
   */
  private async appendManyLocked(manager: EntityManager, events: readonly PreparedAuditEvent[]): Promise<AuditRecord[]> {
    let head = await lockAuditHead(manager);
    const records: AuditRecord[] = [];
    const checkpoints: AuditCheckpointRecord[] = [];
    for (const event of events) {
      const record = this.chain(head, event);
      records.push(record);
      head = { ...head, lastSeq: record.seq, lastHash: record.hash };
      if (this.signer && head.lastSeq - head.checkpointSeq >= this.checkpointEvery) {
        const checkpoint = await this.trySigning(this.signer, head);
        if (checkpoint) {
          checkpoints.push(checkpoint);
          head = { ...head, checkpointSeq: checkpoint.seq, checkpointHash: checkpoint.hash };
        }
      }
    }
    const rows = records.map((record, index) => ({ ...record, details: events[index]!.details }));
    await insertRows(manager, AuditEvent, rows);
    if (checkpoints.length > 0) await manager.insert(AuditCheckpoint, checkpoints);
    await saveAuditHead(manager, head);
    return records;
  }

  /** A checkpoint over `head`, or undefined (reported) when the HSM does not sign it. */
  private async trySigning(signer: Signer, head: AuditHeadState): Promise<AuditCheckpointRecord | undefined> {
    try {
      return await signCheckpoint(signer, head);
    } catch (error) {
      this.onCheckpointError(new Error(`audit checkpoint at seq ${head.lastSeq} not signed: ${(error as Error).message}`, { cause: error }));
      return undefined;
    }
  }

  private chain(head: AuditHeadState, event: PreparedAuditEvent): AuditRecord {
    const fields = { seq: head.lastSeq + 1, prevHash: head.lastHash, time: new Date(), service: this.service, ...event };
    return { ...fields, details: JSON.parse(event.details) as Record<string, unknown>, hash: computeEventHash(fields) };
  }

  /** Inside the append's transaction, so the checkpoint exists exactly when the entries it seals do. */
  private async sealAutomatically(manager: EntityManager, signer: Signer, head: AuditHeadState): Promise<void> {
    const checkpoint = await this.trySigning(signer, head);
    if (!checkpoint) {
      await saveAuditHead(manager, head);
      return;
    }
    await this.storeCheckpoint(manager, head, checkpoint);
  }

  private async storeCheckpoint(manager: EntityManager, head: AuditHeadState, checkpoint: AuditCheckpointRecord): Promise<void> {
    await manager.insert(AuditCheckpoint, checkpoint);
    await saveAuditHead(manager, { ...head, checkpointSeq: checkpoint.seq, checkpointHash: checkpoint.hash });
  }
}

/** Signs the head as a checkpoint (no database access: runs while the caller holds the head lock). */
async function signCheckpoint(signer: Signer, head: AuditHeadState): Promise<AuditCheckpointRecord> {
  const fields = {
    seq: head.lastSeq,
    headHash: head.lastHash,
    prevCheckpointHash: head.checkpointHash,
    time: new Date(),
    signerKeyUri: signer.keyUri,
    signerSpki: signer.publicKey.spki,
  };
  const payload = checkpointPayload(fields);
  const signature = await signer.sign(payload, { hash: checkpointSignatureHash(signer.curve), format: 'der' });
  return { ...fields, hash: checkpointHash(payload), signature };
}

function reportAsProcessWarning(error: Error): void {
  process.emitWarning(error.message, { code: 'SMPKI_AUDIT_CHECKPOINT' });
}
