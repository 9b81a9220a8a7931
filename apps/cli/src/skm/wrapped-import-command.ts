/**
 * `smpki skm import-wrapped`: meter keys wrapped under a pre-agreed transport key, from a CSV file
 * (`meterId,kind,wrappedHex,kcv`), sent to `POST /v1/meters/keys/import` in slices with the progress bar of
 * `smpki meters register`. Re-running is safe: keys the SKM already holds come back `existing`. Refused keys are
 * listed with their rule and make the exit code 1; the others are imported.
 */
import { readFileSync } from 'node:fs';
import { METER_KEY_KINDS, type MeterKeyKind } from '@smpki/skm';
import { splitCsvLine } from '../meters/csv-line';
import { ProgressReporter } from '../meters/progress';

export interface SkmImportWrappedOptions {
  url: string;
  file: string;
  token: string;
  transportKey: string;
  slice: string;
}

interface WrappedKeyLine {
  meterId: string;
  kind: MeterKeyKind;
  wrapped: string;
  kcv: string;
}

interface SliceAnswer {
  results: Array<{ index: number; meterId: string; kind: string; status: 'imported' | 'existing' | 'refused'; rule?: string; message?: string }>;
}

/** CSV `meterId,kind,wrappedHex,kcv`, an optional header line starting with `meter`. */
export function readWrappedKeys(text: string, file: string): WrappedKeyLine[] {
  const lines = text.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 }));
  return lines
    .filter(({ line, number }) => line !== '' && !(number === 1 && /^meter/i.test(line)))
    .map(({ line, number }) => {
      const [meterId, kind, wrapped, kcv] = splitCsvLine(line);
      const where = `${file}:${number}`;
      if (!/^[0-9A-Fa-f]{16}$/.test(meterId ?? '')) throw new Error(`${where}: the meter id must be 16 hex digits`);
      if (!(METER_KEY_KINDS as readonly string[]).includes(kind ?? '')) throw new Error(`${where}: kind must be one of ${METER_KEY_KINDS.join(', ')}`);
      if (!/^(?:[0-9A-Fa-f]{2}){2,80}$/.test(wrapped ?? '')) throw new Error(`${where}: the wrapped key must be hex (an RFC 3394 blob)`);
      if (!/^[0-9A-Fa-f]{6}$/.test(kcv ?? '')) throw new Error(`${where}: the KCV must be 6 hex digits`);
      return { meterId: meterId!, kind: kind as MeterKeyKind, wrapped: wrapped!, kcv: kcv! };
    });
}

async function importSlice(options: SkmImportWrappedOptions, items: WrappedKeyLine[], from: number): Promise<SliceAnswer> {
  const response = await fetch(new URL('/v1/meters/keys/import', options.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ transportKey: options.transportKey, items }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`keys ${from}..${from + items.length - 1} refused (${response.status}): ${text}`);
  return JSON.parse(text) as SliceAnswer;
}

export async function skmImportWrapped(options: SkmImportWrappedOptions, out: (line: string) => void): Promise<number> {
  const keys = readWrappedKeys(readFileSync(options.file, 'utf8'), options.file);
  const slice = Number(options.slice);
  if (!Number.isInteger(slice) || slice < 1 || slice > 5000) throw new Error('--slice must be 1 to 5000');
  const progress = new ProgressReporter(keys.length, process.stderr);
  const counts = { imported: 0, existing: 0, refused: 0 };
  const refusals: string[] = [];
  for (let from = 0; from < keys.length; from += slice) {
    const answer = await importSlice(options, keys.slice(from, from + slice), from);
    for (const result of answer.results) {
      counts[result.status]++;
      if (result.status === 'refused') refusals.push(`line ${from + result.index + 1}: ${result.meterId} ${result.kind} refused (${result.rule}): ${result.message}`);
    }
    progress.advance(answer.results.length);
  }
  progress.finish();
  for (const line of refusals) out(line);
  out(`${keys.length} keys: ${counts.imported} imported, ${counts.existing} already held, ${counts.refused} refused`);
  return counts.refused > 0 ? 1 : 0;
}
