/**
 * `smpki skm shipment pack` (manufacturers: clear keys in, the binary shipment format out, to be encrypted with
 * `openssl cms -encrypt` to the SKM's certificate) and `smpki skm import` (the envelope sent to the SKM in slices,
 * with the progress bar of `smpki meters register`; re-running is safe: the import is idempotent).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { METER_KEY_KINDS, packShipment, type ClearShipmentKey, type MeterKeyKind } from '@smpki/skm';
import { splitCsvLine } from '../meters/csv-line';
import { ProgressReporter } from '../meters/progress';

export interface ShipmentPackOptions {
  in: string;
  out: string;
}

/** CSV `meterId,kind,key(hex)[,kcv]`, an optional header line starting with `meter`. */
export function readClearKeys(text: string, file: string): ClearShipmentKey[] {
  const lines = text.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 }));
  return lines
    .filter(({ line, number }) => line !== '' && !(number === 1 && /^meter/i.test(line)))
    .map(({ line, number }) => {
      const [meterId, kind, key, kcv] = splitCsvLine(line);
      const where = `${file}:${number}`;
      if (!/^[0-9A-Fa-f]{16}$/.test(meterId ?? '')) throw new Error(`${where}: the meter id must be 16 hex digits`);
      if (!(METER_KEY_KINDS as readonly string[]).includes(kind ?? '')) throw new Error(`${where}: kind must be one of ${METER_KEY_KINDS.join(', ')}`);
      if (!/^[0-9A-Fa-f]{32}$/.test(key ?? '')) throw new Error(`${where}: the key must be 32 hex digits (AES-128)`);
      if (kcv !== undefined && kcv !== '' && !/^[0-9A-Fa-f]{6}$/.test(kcv)) throw new Error(`${where}: the KCV must be 6 hex digits`);
      return { meterId: meterId!, kind: kind as MeterKeyKind, key: Buffer.from(key!, 'hex'), ...(kcv ? { kcv: kcv.toUpperCase() } : {}) };
    });
}

export function skmShipmentPack(options: ShipmentPackOptions, out: (line: string) => void): number {
  const keys = readClearKeys(readFileSync(options.in, 'utf8'), options.in);
  writeFileSync(options.out, packShipment(keys), { mode: 0o600 });
  out(`${keys.length} keys packed into ${options.out}; encrypt it to the SKM: openssl cms -encrypt -binary -aes128 -recip skm-enc.pem -keyopt ecdh_kdf_md:sha256 -in ${options.out} -outform DER -out shipment.p7m`);
  return 0;
}

export interface SkmImportOptions {
  url: string;
  file: string;
  token: string;
  slice: string;
}

interface SliceAnswer {
  total: number;
  results: Array<{ status: 'imported' | 'existing' }>;
}

async function importSlice(options: SkmImportOptions, envelope: string, from: number, count: number): Promise<SliceAnswer> {
  const response = await fetch(new URL('/v1/shipments/import', options.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ envelope, from, count }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`keys ${from}..${from + count - 1} refused (${response.status}): ${text}`);
  return JSON.parse(text) as SliceAnswer;
}

export async function skmImport(options: SkmImportOptions, out: (line: string) => void): Promise<number> {
  const envelope = readFileSync(options.file).toString('base64');
  const slice = Number(options.slice);
  if (!Number.isInteger(slice) || slice < 1 || slice > 5000) throw new Error('--slice must be 1 to 5000');
  const first = await importSlice(options, envelope, 0, slice);
  const progress = new ProgressReporter(first.total, process.stderr);
  const counts = { imported: 0, existing: 0 };
  const tally = (answer: SliceAnswer) => {
    for (const result of answer.results) counts[result.status]++;
    progress.advance(answer.results.length);
  };
  tally(first);
  // Two slices in flight: the SKM's HSM works on one while the other is being stored.
  let next = slice;
  const sender = async (): Promise<void> => {
    for (let from = next; from < first.total; from = next) {
      next += slice;
      tally(await importSlice(options, envelope, from, slice));
    }
  };
  await Promise.all([sender(), sender()]);
  progress.finish();
  out(`${first.total} keys: ${counts.imported} imported, ${counts.existing} already held`);
  return 0;
}
