/**
 * `smpki meters register`: a production batch through POST /v1/meters/batch. The batch file is read and checked
 * first; meters whose `<meterId>.pem` is already in the output directory are skipped (resume); the rest goes in
 * chunks, `concurrency` chunks in flight. Every answered item is written out at once (pem + results.ndjson), so an
 * interrupted run loses at most the chunks in flight, which the next run sends again and gets back as `existing`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readBatchFile, type BatchEntry } from './batch-file';
import { chunk, OutputDirectory, pendingEntries, type ResultRecord } from './output-directory';
import { ProgressReporter, type ProgressSink } from './progress';
import type { BatchAnswer, BatchItemResult, RegistryClient } from './registry-client';

export interface RegisterMetersOptions {
  file: string;
  out: string;
  batchSize: number;
  concurrency: number;
  /** Rounds for items answered `failed` (5xx per item: not stored, send again). */
  retries: number;
  backoffMs?: number;
}

export interface RegisterMetersSummary {
  total: number;
  skipped: number;
  issued: number;
  existing: number;
  refused: number;
  failed: number;
  /** Set when the run stopped early (batch refused as a whole, server unreachable after the retries). */
  aborted?: string;
}

export interface RegisterMetersIo {
  client: Pick<RegistryClient, 'registerBatch'>;
  progress: ProgressSink;
  /** One line per refused or failed item and per notice. */
  report: (line: string) => void;
}

type FinalStatus = 'issued' | 'existing' | 'refused' | 'failed';

export async function registerMeters(options: RegisterMetersOptions, io: RegisterMetersIo): Promise<RegisterMetersSummary> {
  const entries = readBatchFile(options.file);
  const output = new OutputDirectory(options.out);
  const { pending, skipped } = pendingEntries(entries, output);
  const summary: RegisterMetersSummary = { total: entries.length, skipped, issued: 0, existing: 0, refused: 0, failed: 0 };
  if (skipped > 0) io.report(`resuming: ${skipped} of ${entries.length} meters already have a certificate in ${options.out}`);
  const queue = chunk(pending, options.batchSize);
  const progress = new ProgressReporter(pending.length, io.progress);
  let chainWritten = false;

  const record = (entry: BatchEntry, result: BatchItemResult | undefined, status: FinalStatus): ResultRecord => {
    summary[status]++;
    const base: ResultRecord = { line: entry.line, meterId: entry.item.meterId, status, at: new Date().toISOString() };
    if (result?.certificate) return { ...base, serial: result.certificate.serial, fingerprint: result.certificate.fingerprint };
    if (status === 'refused' || status === 'failed') io.report(`line ${entry.line} ${entry.item.meterId}: ${status}: ${describeProblem(result)}`);
    return result?.problem ? { ...base, problem: result.problem } : base;
  };

  /** Writes what is final in one answer; returns the entries answered `failed`, to send again. */
  const settle = (sent: BatchEntry[], answer: BatchAnswer): BatchEntry[] => {
    if (!chainWritten && answer.chain?.length) {
      output.writeChain(answer.chain);
      chainWritten = true;
    }
    const byIndex = new Map(answer.items.map((item) => [item.index, item]));
    const records: ResultRecord[] = [];
    const again: BatchEntry[] = [];
    sent.forEach((entry, index) => {
      const result = byIndex.get(index);
      if (!result || result.status === 'failed') return void again.push(entry);
      if ((result.status === 'issued' || result.status === 'existing') && result.certificate?.certificate) {
        output.writeCertificate(entry.item.meterId, result.certificate.certificate);
        records.push(record(entry, result, result.status));
      } else {
        records.push(record(entry, result, 'refused'));
      }
    });
    output.appendResults(records);
    progress.advance(records.length);
    return again;
  };

  const sendChunk = async (entries: BatchEntry[]): Promise<void> => {
    let unanswered = entries;
    for (let round = 0; unanswered.length > 0; round++) {
      const answer = await io.client.registerBatch(unanswered.map((entry) => entry.item));
      const again = settle(unanswered, answer);
      if (again.length === 0) return;
      if (round >= options.retries) {
        output.appendResults(again.map((entry) => record(entry, answer.items.find((item) => item.meterId === entry.item.meterId), 'failed')));
        progress.advance(again.length);
        return;
      }
      await sleep(Math.min(30_000, (options.backoffMs ?? 500) * 2 ** round));
      unanswered = again;
    }
  };

  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next && !summary.aborted; next = queue.shift()) {
      try {
        await sendChunk(next);
      } catch (error) {
        summary.aborted ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  progress.finish();
  return summary;
}

function describeProblem(result: BatchItemResult | undefined): string {
  if (!result?.problem) return result ? `status ${result.status} without a certificate` : 'no answer for this item';
  const { title, detail, errors } = result.problem;
  const rules = (errors ?? []).map((error) => `${error.rule ?? '?'} (${error.field ?? ''}): ${error.message ?? ''}`).join('; ');
  // The detail often repeats the first error's message: only a detail that says more is added.
  const summary = detail ?? title;
  return summary && !(errors ?? []).some((error) => error.message && summary.includes(error.message)) ? [rules, summary].filter(Boolean).join(' - ') : rules || (summary ?? '');
}

/** `issued 48, existing 2, refused 0, failed 0 (skipped 0 with a certificate on disk)` */
export function formatSummary(summary: RegisterMetersSummary): string {
  const counts = `issued ${summary.issued}, existing ${summary.existing}, refused ${summary.refused}, failed ${summary.failed}`;
  const line = `${counts} (skipped ${summary.skipped} with a certificate on disk; ${summary.total} in the batch file)`;
  return summary.aborted ? `${line}; STOPPED: ${summary.aborted}` : line;
}

/** 0 all done, 1 some item refused or failed, 2 the run stopped early (run again to resume). */
export function exitCodeOf(summary: RegisterMetersSummary): number {
  if (summary.aborted) return 2;
  return summary.refused > 0 || summary.failed > 0 ? 1 : 0;
}
