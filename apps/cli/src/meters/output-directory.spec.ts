import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchEntry } from './batch-file';
import { chunk, OutputDirectory, pendingEntries, RESULTS_FILE } from './output-directory';

const entry = (line: number, meterId: string): BatchEntry => ({ line, item: { meterId, request: 'x' } });

describe('output directory (resume state)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-out-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('skips the meters whose pem exists and keeps the order of the rest', () => {
    const output = new OutputDirectory(join(dir, 'out'));
    output.writeCertificate('1EMH0000000002', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----');
    const { pending, skipped } = pendingEntries([entry(2, '1EMH0000000001'), entry(3, '1EMH0000000002'), entry(4, '1EMH0000000003')], output);
    expect(skipped).toBe(1);
    expect(pending.map((item) => item.line)).toEqual([2, 4]);
  });

  it('does not take a leftover temporary file for a written certificate', () => {
    const output = new OutputDirectory(dir);
    writeFileSync(join(dir, '1EMH0000000001.pem.1234.tmp'), '-----BEGIN CERT');
    expect(output.hasCertificate('1EMH0000000001')).toBe(false);
    output.writeCertificate('1EMH0000000001', 'PEM');
    expect(readFileSync(output.pemPath('1EMH0000000001'), 'utf8')).toBe('PEM\n');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp') && name.includes(String(process.pid)))).toEqual([]);
  });

  it('appends results, one JSON line per item', () => {
    const output = new OutputDirectory(dir);
    output.appendResults([{ line: 2, meterId: 'a', status: 'issued', serial: '01', at: 't' }]);
    output.appendResults([]);
    output.appendResults([{ line: 3, meterId: 'b', status: 'refused', problem: { status: 422 }, at: 't' }]);
    const lines = readFileSync(join(dir, RESULTS_FILE), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { meterId: string });
    expect(lines.map((line) => line.meterId)).toEqual(['a', 'b']);
    expect(existsSync(join(dir, 'chain.pem'))).toBe(false);
  });

  it('cuts a list into chunks of at most the batch size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
