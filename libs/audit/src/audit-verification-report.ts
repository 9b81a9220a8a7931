/** What verifyAuditChain found. */

export type AuditChainProblem =
  /** An entry's stored hash does not match its fields: the row was edited. */
  | 'hash-mismatch'
  /** A seq is missing: the row was deleted. */
  | 'missing-entry'
  /** An entry does not link to the one before it: an entry was deleted and the rest renumbered, or rewritten. */
  | 'prev-hash-mismatch'
  /** A signed checkpoint or the head records more entries than the log holds: the tail was deleted. */
  | 'tail-deleted'
  /** Entries beyond what the head records: written around the trail. */
  | 'unrecorded-entry'
  /** The head row is missing or disagrees with the log. */
  | 'head-mismatch'
  | 'checkpoint-untrusted-key'
  | 'checkpoint-bad-signature'
  /** A checkpoint's stored hash does not match its signed fields. */
  | 'checkpoint-edited'
  /** A checkpoint does not link to the previous one: a checkpoint was deleted, inserted or reordered. */
  | 'checkpoint-chain'
  /** A validly signed checkpoint seals a different hash than the entry at its seq: entries were rewritten. */
  | 'checkpoint-mismatch'
  /** More entries without a signed checkpoint than the trail's checkpoint interval allows: checkpoints were deleted. */
  | 'checkpoint-missing';

export interface AuditChainBreak {
  /** The first entry that cannot be trusted (for checkpoint problems: the seq the checkpoint seals). */
  seq: number;
  problem: AuditChainProblem;
  /** Human-readable, e.g. `hash mismatch (row edited)`. */
  message: string;
}

export interface AuditVerificationReport {
  ok: boolean;
  /** Entries found intact (all of them when ok, those before the break otherwise). */
  entriesVerified: number;
  checkpointsVerified: number;
  /** The highest seq in the log. */
  lastSeq: number;
  /** The highest seq covered by a verified checkpoint (0: none). */
  sealedThroughSeq: number;
  /** Entries after the last verified checkpoint: intact as a chain but not yet sealed by a signature. */
  unsealedEntries: number;
  firstBroken?: AuditChainBreak;
}

/** One line for operators: `audit chain broken at seq 17: hash mismatch (row edited)`. */
export function formatAuditVerificationReport(report: AuditVerificationReport): string {
  if (report.firstBroken) return `audit chain broken at seq ${report.firstBroken.seq}: ${report.firstBroken.message}`;
  const summary = `audit chain intact: ${report.entriesVerified} entries, ${report.checkpointsVerified} signed checkpoints`;
  if (report.unsealedEntries === 0) return summary;
  return `${summary}; ${report.unsealedEntries} entries after seq ${report.sealedThroughSeq} not yet sealed by a checkpoint`;
}
