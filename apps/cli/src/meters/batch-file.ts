/**
 * The production line's batch file: CSV (header `meterId,request[,type,model,firmwareVersion,calibrationDate,
 * calibrationStation,replacement]`) or NDJSON (one item object per line), read into the items of
 * POST /v1/meters/batch. The `request` of an item is a PEM text, base64 DER, or the path of a CSR file (PEM or DER,
 * relative to the batch file). The server judges the content; this file only refuses what it cannot send at all,
 * naming the line, so a typo stops the run before anything is issued.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { splitCsvLine } from './csv-line';

/** One item of POST /v1/meters/batch (docs/METER-REGISTRATION.md), plus the batch-file line it came from. */
export interface MeterItem {
  meterId: string;
  request: string;
  type?: string;
  model?: string;
  firmwareVersion?: string;
  calibrationDate?: string;
  calibrationStation?: string;
  replacement?: boolean;
}

export interface BatchEntry {
  /** 1-based line of the batch file, for messages and results.ndjson. */
  line: number;
  item: MeterItem;
}

export class BatchFileError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
  }
}

const OPTIONAL_TEXT_FIELDS = ['type', 'model', 'firmwareVersion', 'calibrationDate', 'calibrationStation'] as const;
const CSV_COLUMNS = new Set<string>(['meterId', 'request', ...OPTIONAL_TEXT_FIELDS, 'replacement']);
/**
 * The meter id becomes a file name (`<meterId>.pem`): letters, digits, dot, dash, underscore only, so no id can
 * write outside the output directory. The DIN 43863-5 format itself is the server's rule (meter.id-format).
 */
const SAFE_METER_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
/** Base64 of a DER request: long enough that no plausible file name matches. */
const BASE64_DER = /^[A-Za-z0-9+/]{64,}={0,2}$/;

export function isNdjson(file: string): boolean {
  return ['.ndjson', '.jsonl'].includes(extname(file).toLowerCase());
}

/** Reads the whole batch file; throws a {@link BatchFileError} naming the first line it cannot use. */
export function readBatchFile(file: string): BatchEntry[] {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return isNdjson(file) ? parseNdjson(text, file) : parseCsv(text, file);
}

/** Numbered, non-blank lines (CRLF tolerated). */
function lines(text: string): Array<{ line: number; text: string }> {
  return text
    .split('\n')
    .map((content, index) => ({ line: index + 1, text: content.replace(/\r$/, '') }))
    .filter((entry) => entry.text.trim() !== '');
}

export function parseCsv(text: string, file: string): BatchEntry[] {
  const [header, ...rows] = lines(text);
  if (!header) return [];
  const columns = splitCsvLine(header.text).map((name) => name.trim());
  const unknown = columns.filter((name) => !CSV_COLUMNS.has(name));
  if (unknown.length > 0) throw new BatchFileError(file, header.line, `unknown column(s) ${unknown.join(', ')} (known: ${[...CSV_COLUMNS].join(', ')})`);
  for (const required of ['meterId', 'request']) {
    if (!columns.includes(required)) throw new BatchFileError(file, header.line, `the header needs a "${required}" column`);
  }
  return rows.map(({ line, text: row }) => {
    const cells = splitCsvLine(row);
    if (cells.length !== columns.length) throw new BatchFileError(file, line, `${cells.length} fields, the header has ${columns.length}`);
    const record = Object.fromEntries(columns.map((name, index) => [name, cells[index]!.trim()]));
    return { line, item: toItem(record, file, line) };
  });
}

export function parseNdjson(text: string, file: string): BatchEntry[] {
  return lines(text).map(({ line, text: row }) => {
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      throw new BatchFileError(file, line, 'not a JSON object');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BatchFileError(file, line, 'not a JSON object');
    return { line, item: toItem(value as Record<string, unknown>, file, line) };
  });
}

function toItem(record: Record<string, unknown>, file: string, line: number): MeterItem {
  const meterId = record.meterId;
  if (typeof meterId !== 'string' || !SAFE_METER_ID.test(meterId)) {
    throw new BatchFileError(file, line, 'meterId must be 1-64 letters, digits, ".", "-" or "_" (e.g. 1EMH0012345678)');
  }
  if (typeof record.request !== 'string' || record.request.trim() === '') throw new BatchFileError(file, line, 'request is missing');
  const item: MeterItem = { meterId, request: resolveRequest(record.request.trim(), file, line) };
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const value = record[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new BatchFileError(file, line, `${field} must be a string`);
    item[field] = value;
  }
  const replacement = parseReplacement(record.replacement);
  if (replacement === null) throw new BatchFileError(file, line, 'replacement must be true or false');
  if (replacement !== undefined) item.replacement = replacement;
  return item;
}

function parseReplacement(value: unknown): boolean | undefined | null {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** PEM text and base64 DER pass as they are; anything else names a CSR file (PEM passed as text, DER as base64). */
export function resolveRequest(value: string, file: string, line: number): string {
  if (value.startsWith('-----BEGIN')) return value;
  if (BASE64_DER.test(value)) return value;
  const path = isAbsolute(value) ? value : resolve(dirname(file), value);
  if (!existsSync(path)) throw new BatchFileError(file, line, `request "${value}" is neither PEM, base64 DER nor a readable file`);
  const bytes = readFileSync(path);
  const text = bytes.toString('latin1');
  return text.trimStart().startsWith('-----BEGIN') ? text.trim() : bytes.toString('base64');
}
