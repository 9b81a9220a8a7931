/**
 * The output directory of a batch run, which is also its resume state: `<meterId>.pem` for every meter that has its
 * certificate, `chain.pem` (the calibration CA and root, as the server sent them) and `results.ndjson`, one line
 * per answered item, appended. A pem file is written under a temporary name and renamed, so a run killed half-way
 * never leaves a truncated certificate that a resumed run would take for done.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchEntry } from './batch-file';

export const RESULTS_FILE = 'results.ndjson';
export const CHAIN_FILE = 'chain.pem';

/** What results.ndjson records for one item: the certificate itself is in the pem file. */
export interface ResultRecord {
  line: number;
  meterId: string;
  status: string;
  serial?: string;
  fingerprint?: string;
  problem?: unknown;
  at: string;
}

export class OutputDirectory {
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true });
  }

  pemPath(meterId: string): string {
    return join(this.path, `${meterId}.pem`);
  }

  hasCertificate(meterId: string): boolean {
    return existsSync(this.pemPath(meterId));
  }

  writeCertificate(meterId: string, pem: string): void {
    writeAtomically(this.pemPath(meterId), pem.endsWith('\n') ? pem : `${pem}\n`);
  }

  /** The chain once per run (the server sends the same one with every answer). */
  writeChain(chain: readonly string[]): void {
    writeAtomically(join(this.path, CHAIN_FILE), chain.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join(''));
  }

  appendResults(records: readonly ResultRecord[]): void {
    if (records.length === 0) return;
    appendFileSync(join(this.path, RESULTS_FILE), records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  }
}

function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** Resume: the entries still to send (no pem yet) and how many were skipped because their pem exists. */
export function pendingEntries(entries: readonly BatchEntry[], output: Pick<OutputDirectory, 'hasCertificate'>): { pending: BatchEntry[]; skipped: number } {
  const pending = entries.filter((entry) => !output.hasCertificate(entry.item.meterId));
  return { pending, skipped: entries.length - pending.length };
}

/** Consecutive chunks of at most `size` entries. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
