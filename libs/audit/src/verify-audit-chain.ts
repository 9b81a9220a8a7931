import { runInReadSnapshot } from '@smpki/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditChainBreak, AuditChainProblem, AuditVerificationReport } from './audit-verification-report';
import { checkpointHash, checkpointPayload, checkpointSignatureProblem } from './checkpoint-signature';
import { AUDIT_HEAD_ID, AuditCheckpoint, AuditEvent, AuditHead } from './entities';
import { computeEventHash, GENESIS_HASH } from './event-hash';
import { Lookahead, rowsBySeq } from './rows-by-seq';

export interface VerifyAuditChainOptions {
  /** DER SubjectPublicKeyInfo of every key allowed to sign checkpoints. */
  trustedCheckpointKeys: Buffer[];
  /**
   * Accept the keys the checkpoints name themselves. Proves only that the checkpoints are consistent with each
   * other: anyone with write access to the database can re-sign a rewritten log with a key of their own.
   */
  trustEmbeddedKeys?: boolean;
  /** Rows read per query. Default 1000. */
  pageSize?: number;
  /**
   * The trail's checkpoint interval (`checkpointEvery`). When given, more entries than this without a signed
   * checkpoint (between two checkpoints, before the first or after the last) count as a break: the trail seals
   * every `checkpointEvery` events, so a longer unsealed run means checkpoints were deleted and the unsigned
   * hash chain rewritten.
   */
  maxUnsealedEntries?: number;
}

/**
 * Verifies the whole audit log in one consistent snapshot: every entry's hash and link, every checkpoint's key,
 * signature and link, that each checkpoint seals the entry at its seq, and that the head row agrees with the
 * log. Stops at the first problem and reports it with the seq of the first entry that cannot be trusted.
 */
export function verifyAuditChain(dataSource: DataSource, options: VerifyAuditChainOptions): Promise<AuditVerificationReport> {
  return runInReadSnapshot(dataSource, (manager) => new ChainVerification(manager, options).run());
}

class Broken extends Error {
  constructor(readonly chainBreak: AuditChainBreak) {
    super(chainBreak.message);
  }
}

function broken(seq: number, problem: AuditChainProblem, message: string): Broken {
  return new Broken({ seq, problem, message });
}

class ChainVerification {
  private readonly pageSize: number;
  private entriesVerified = 0;
  private checkpointsVerified = 0;
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private sealedThroughSeq = 0;
  private lastCheckpointHash = GENESIS_HASH;

  constructor(
    private readonly manager: EntityManager,
    private readonly options: VerifyAuditChainOptions,
  ) {
    this.pageSize = options.pageSize ?? 1000;
  }

  async run(): Promise<AuditVerificationReport> {
    let firstBroken: AuditChainBreak | undefined;
    try {
      await this.verifyEntriesAndCheckpoints();
      await this.verifyHead();
    } catch (error) {
      if (!(error instanceof Broken)) throw error;
      firstBroken = error.chainBreak;
    }
    return {
      ok: firstBroken === undefined,
      entriesVerified: this.entriesVerified,
      checkpointsVerified: this.checkpointsVerified,
      lastSeq: this.lastSeq,
      sealedThroughSeq: this.sealedThroughSeq,
      unsealedEntries: this.lastSeq - this.sealedThroughSeq,
      ...(firstBroken ? { firstBroken } : {}),
    };
  }

  private async verifyEntriesAndCheckpoints(): Promise<void> {
    const checkpoints = new Lookahead(rowsBySeq(this.manager, AuditCheckpoint, this.pageSize));
    for await (const entry of rowsBySeq(this.manager, AuditEvent, this.pageSize)) {
      this.verifyEntry(entry);
      for (let next = await checkpoints.peek(); next && next.seq <= entry.seq; next = await checkpoints.peek()) {
        await checkpoints.take();
        this.verifyCheckpoint(next, entry);
      }
      this.lastSeq = entry.seq;
      this.lastHash = entry.hash;
      this.entriesVerified++;
    }
    this.checkUnsealedRun(this.lastSeq);
    const beyondLog = await checkpoints.peek();
    if (beyondLog) {
      this.verifyCheckpointAuthenticity(beyondLog);
      throw broken(
        this.lastSeq + 1,
        'tail-deleted',
        `a signed checkpoint seals seq ${beyondLog.seq} but the log ends at seq ${this.lastSeq} (tail deleted)`,
      );
    }
  }

  private verifyEntry(entry: AuditEvent): void {
    const expected = this.lastSeq + 1;
    if (entry.seq !== expected) {
      throw broken(expected, 'missing-entry', `entry missing (row deleted; the next entry is seq ${entry.seq})`);
    }
    if (!computeEntryHash(entry)?.equals(entry.hash)) throw broken(entry.seq, 'hash-mismatch', 'hash mismatch (row edited)');
    if (!entry.prevHash.equals(this.lastHash)) {
      throw broken(
        entry.seq,
        'prev-hash-mismatch',
        `prev_hash is not the hash of seq ${entry.seq - 1} (an entry was deleted, inserted or rewritten before it)`,
      );
    }
  }

  /** A checkpoint met while scanning the log: it must be authentic and seal the entry at its seq. */
  private verifyCheckpoint(checkpoint: AuditCheckpoint, entry: AuditEvent): void {
    this.checkUnsealedRun(checkpoint.seq);
    this.verifyCheckpointAuthenticity(checkpoint);
    if (checkpoint.seq !== entry.seq || !checkpoint.headHash.equals(entry.hash)) {
      throw broken(
        checkpoint.seq,
        'checkpoint-mismatch',
        `the signed checkpoint at seq ${checkpoint.seq} does not match entry ${checkpoint.seq} (entries up to it were rewritten)`,
      );
    }
    this.checkpointsVerified++;
    this.sealedThroughSeq = checkpoint.seq;
    this.lastCheckpointHash = checkpoint.hash;
  }

  /** Entries after the last checkpoint up to `throughSeq` must not outnumber the checkpoint interval. */
  private checkUnsealedRun(throughSeq: number): void {
    const max = this.options.maxUnsealedEntries;
    const unsealed = throughSeq - this.sealedThroughSeq;
    if (max === undefined || unsealed <= max) return;
    throw broken(
      this.sealedThroughSeq + 1,
      'checkpoint-missing',
      `${unsealed} entries after seq ${this.sealedThroughSeq} have no signed checkpoint, more than the interval of ${max} (checkpoints deleted?)`,
    );
  }

  private verifyCheckpointAuthenticity(checkpoint: AuditCheckpoint): void {
    const at = `the checkpoint at seq ${checkpoint.seq}`;
    if (!this.isTrusted(checkpoint.signerSpki)) {
      throw broken(checkpoint.seq, 'checkpoint-untrusted-key', `${at} is signed by an untrusted key (${checkpoint.signerKeyUri})`);
    }
    const payload = checkpointPayload(checkpoint);
    const signatureProblem = checkpointSignatureProblem(checkpoint.signerSpki, payload, checkpoint.signature);
    if (signatureProblem) {
      throw broken(checkpoint.seq, 'checkpoint-bad-signature', `${at}: ${signatureProblem} (checkpoint forged or edited)`);
    }
    if (!checkpointHash(payload).equals(checkpoint.hash)) {
      throw broken(checkpoint.seq, 'checkpoint-edited', `${at}: its hash does not match its signed fields (checkpoint edited)`);
    }
    if (!checkpoint.prevCheckpointHash.equals(this.lastCheckpointHash)) {
      throw broken(
        checkpoint.seq,
        'checkpoint-chain',
        `${at} does not link to the checkpoint at seq ${this.sealedThroughSeq} (a checkpoint was deleted, inserted or reordered)`,
      );
    }
  }

  private isTrusted(spki: Buffer): boolean {
    return this.options.trustEmbeddedKeys === true || this.options.trustedCheckpointKeys.some((key) => key.equals(spki));
  }

  /** The head is written with every append: it reveals a deleted tail even before the next checkpoint. */
  private async verifyHead(): Promise<void> {
    const head = await this.manager.findOne(AuditHead, { where: { id: AUDIT_HEAD_ID } });
    const next = this.lastSeq + 1;
    if (!head) {
      if (this.lastSeq === 0) return;
      throw broken(next, 'head-mismatch', `the audit_head row is missing (entries after seq ${this.lastSeq} may have been deleted)`);
    }
    if (head.lastSeq > this.lastSeq) {
      throw broken(next, 'tail-deleted', `the audit head records seq ${head.lastSeq} but the log ends at seq ${this.lastSeq} (tail deleted)`);
    }
    if (head.lastSeq === 0 && this.lastSeq > 0) {
      throw broken(1, 'head-mismatch', `the audit head was reset to seq 0 while the log holds ${this.lastSeq} entries`);
    }
    if (head.lastSeq < this.lastSeq) {
      throw broken(
        head.lastSeq + 1,
        'unrecorded-entry',
        `entry not recorded in the audit head, which ends at seq ${head.lastSeq} (row inserted around the trail)`,
      );
    }
    if (!head.lastHash.equals(this.lastHash)) {
      throw broken(this.lastSeq, 'head-mismatch', `the audit head's hash differs from entry ${this.lastSeq} (entry rewritten)`);
    }
    if (head.checkpointSeq !== this.sealedThroughSeq || !head.checkpointHash.equals(this.lastCheckpointHash)) {
      throw broken(
        Math.max(head.checkpointSeq, this.sealedThroughSeq),
        'checkpoint-chain',
        `the audit head records the last checkpoint at seq ${head.checkpointSeq} but the log's last checkpoint is at seq ${this.sealedThroughSeq} (checkpoint deleted or inserted)`,
      );
    }
  }
}

function computeEntryHash(entry: AuditEvent): Buffer | undefined {
  try {
    return computeEventHash(entry);
  } catch {
    return undefined; // e.g. a time edited into something that is not a date
  }
}
