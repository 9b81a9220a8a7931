/**
 * `smpki meters register`: a production batch through POST /v1/meters/batch. The batch file is read and checked
 * first; meters whose `<meterId>.pem` is already in the output directory are skipped (resume); the rest goes in
 * chunks, `concurrency` chunks in flight. Every answered item is written out at once (pem + results.ndjson), so an
 * interrupted run loses at most the chunks in flight, which the next run sends again and gets back as `existing`.
 * With `stream`, the pending meters go as one NDJSON stream (POST /v1/meters/stream) and each result line is
 * written as it arrives; a stream cut by the network is sent again with the meters it had not answered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readBatchFile, type BatchEntry } from './batch-file';
import { chunk, OutputDirectory, pendingEntries, type ResultRecord } from './output-directory';
import { ProgressReporter, type ProgressSink } from './progress';
import { TransientError, type BatchAnswer, type BatchItemResult, type RegistryClient } from './registry-client';

export interface RegisterMetersOptions {
  file: string;
  out: string;
  batchSize: number;
  concurrency: number;
  /** Rounds for items answered `failed` (5xx per item: not stored, send again); with `stream` also for a cut stream. */
  retries: number;
  /** One NDJSON stream instead of batches (`concurrency` and `batchSize` do not apply). */
  stream?: boolean;
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
  client: Pick<RegistryClient, 'registerBatch'> & Partial<Pick<RegistryClient, 'registerStream'>>;
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

  const writeChain = (chain: string[] | undefined): void => {
    if (chainWritten || !chain?.length) return;
    output.writeChain(chain);
    chainWritten = true;
  };

  /** The record of a final result (its certificate written), or undefined for one to send again. */
  const settleItem = (entry: BatchEntry, result: BatchItemResult | undefined): ResultRecord | undefined => {
    if (!result || result.status === 'failed') return undefined;
    if ((result.status === 'issued' || result.status === 'existing') && result.certificate?.certificate) {
      output.writeCertificate(entry.item.meterId, result.certificate.certificate);
      return record(entry, result, result.status);
    }
    return record(entry, result, 'refused');
  };

  /** Writes what is final in one answer; returns the entries answered `failed`, to send again. */
  const settle = (sent: BatchEntry[], answer: BatchAnswer): BatchEntry[] => {
    writeChain(answer.chain);
    const byIndex = new Map(answer.items.map((item) => [item.index, item]));
    const records: ResultRecord[] = [];
    const again: BatchEntry[] = [];
    sent.forEach((entry, index) => {
      const settled = settleItem(entry, byIndex.get(index));
      if (settled) records.push(settled);
      else again.push(entry);
    });
    output.appendResults(records);
    progress.advance(records.length);
    return again;
  };

  /**
   * The pending meters as one stream, each result written as its line arrives. Meters answered `failed`, and
   * those a cut stream left unanswered, are streamed again (at most `retries` more rounds).
   */
  const sendStream = async (entries: BatchEntry[]): Promise<void> => {
    const registerStream = io.client.registerStream!.bind(io.client);
    let unanswered = entries;
    for (let round = 0; unanswered.length > 0; round++) {
      const sent = unanswered;
      const answered = new Map<BatchEntry, BatchItemResult>();
      let cut: Error | undefined;
      try {
        const end = await registerStream(sent.map((entry) => entry.item), (result) => {
          const entry = sent[result.index];
          if (!entry || answered.has(entry)) return;
          answered.set(entry, result);
          const settled = settleItem(entry, result);
          if (!settled) return;
          output.appendResults([settled]);
          progress.advance(1);
        });
        writeChain(end.chain);
      } catch (error) {
        if (!(error instanceof TransientError) || round >= options.retries) throw error;
        cut = error;
      }
      unanswered = sent.filter((entry) => answered.get(entry)?.status === 'failed' || !answered.has(entry));
      if (unanswered.length === 0) return;
      if (round >= options.retries) {
        output.appendResults(unanswered.map((entry) => record(entry, answered.get(entry), 'failed')));
        progress.advance(unanswered.length);
        return;
      }
      const delay = Math.min(30_000, (options.backoffMs ?? 500) * 2 ** round);
      io.report(`${cut ? `stream cut (${cut.message})` : 'meters not stored'}: streaming the ${unanswered.length} unanswered meters again in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay);
    }
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
  if (options.stream) {
    await sendStream(pending).catch((error: unknown) => void (summary.aborted ??= (error as Error).message));
  } else {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  }
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
