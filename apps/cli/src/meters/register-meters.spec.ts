import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeterItem } from './batch-file';
import { exitCodeOf, formatSummary, registerMeters } from './register-meters';
import { RequestRefusedError, TransientError, type BatchAnswer, type BatchItemResult, type StreamEnd } from './registry-client';

const BASE64 = 'MIIB'.repeat(30);

/** A stand-in server: certifies each meter once; answers `existing` afterwards; can refuse or fail items. */
class FakeRegistry {
  readonly sent: string[][] = [];
  private readonly certified = new Set<string>();
  failOnce = new Set<string>();
  refuse = new Set<string>();
  refuseBatch = false;

  async registerBatch(items: readonly MeterItem[]): Promise<BatchAnswer> {
    this.sent.push(items.map((item) => item.meterId));
    if (this.refuseBatch) throw new RequestRefusedError(403, '{"title":"Forbidden"}');
    const results = items.map((item, index): BatchItemResult => {
      if (this.refuse.has(item.meterId)) return { index, meterId: item.meterId, status: 'refused', problem: { status: 422, errors: [{ field: `items[${index}].meterId`, rule: 'meter.id-format', message: 'bad' }] } };
      if (this.failOnce.delete(item.meterId)) return { index, meterId: item.meterId, status: 'failed', problem: { status: 503 } };
      const status = this.certified.has(item.meterId) ? 'existing' : 'issued';
      this.certified.add(item.meterId);
      return { index, meterId: item.meterId, status, certificate: { serial: item.meterId, fingerprint: 'f', notBefore: '', notAfter: '', certificate: `PEM ${item.meterId}` } };
    });
    const count = (status: string) => results.filter((result) => result.status === status).length;
    return { issued: count('issued'), existing: count('existing'), refused: count('refused'), failed: count('failed'), chain: ['CA', 'ROOT'], items: results };
  }
  /** Cuts the stream (a TransientError) after `cutAfter` result lines, once. */
  cutAfter: number | undefined;

  async registerStream(items: readonly MeterItem[], onResult: (result: BatchItemResult) => void): Promise<StreamEnd> {
    const answer = await this.registerBatch(items);
    for (const result of answer.items) {
      if (this.cutAfter !== undefined && result.index >= this.cutAfter) {
        this.cutAfter = undefined;
        throw new TransientError('ECONNRESET');
      }
      onResult(result);
    }
    return { summary: answer, chain: answer.chain };
  }
}

describe('registerMeters', () => {
  let dir: string;
  let file: string;
  const meterIds = Array.from({ length: 7 }, (_, index) => `1EMH000000000${index}`);
  const lines: string[] = [];
  const io = (client: FakeRegistry) => ({ client, progress: { isTTY: false, write: () => true }, report: (line: string) => void lines.push(line) });
  const options = () => ({ file, out: join(dir, 'out'), batchSize: 3, concurrency: 2, retries: 2, backoffMs: 1 });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-register-'));
    file = join(dir, 'batch.csv');
    writeFileSync(file, ['meterId,request', ...meterIds.map((id) => `${id},${BASE64}`)].join('\n'));
    lines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends chunks of the batch size, writes every certificate, the chain and a result per meter', async () => {
    const registry = new FakeRegistry();
    const summary = await registerMeters(options(), io(registry));
    expect(registry.sent.map((ids) => ids.length).sort()).toEqual([1, 3, 3]);
    expect(summary).toMatchObject({ total: 7, skipped: 0, issued: 7, existing: 0, refused: 0, failed: 0 });
    expect(exitCodeOf(summary)).toBe(0);
    for (const id of meterIds) expect(readFileSync(join(dir, 'out', `${id}.pem`), 'utf8')).toBe(`PEM ${id}\n`);
    expect(readFileSync(join(dir, 'out', 'chain.pem'), 'utf8')).toBe('CA\nROOT\n');
    expect(readFileSync(join(dir, 'out', 'results.ndjson'), 'utf8').trim().split('\n')).toHaveLength(7);
  });

  it('resumes: a second run sends only the meters without a pem', async () => {
    const registry = new FakeRegistry();
    registry.refuse.add(meterIds[4]!);
    const first = await registerMeters(options(), io(registry));
    expect(first).toMatchObject({ issued: 6, refused: 1 });
    expect(exitCodeOf(first)).toBe(1);
    expect(lines.join('\n')).toContain(`${meterIds[4]}: refused: meter.id-format (items[1].meterId): bad`);
    registry.sent.length = 0;
    registry.refuse.clear();
    const second = await registerMeters(options(), io(registry));
    expect(registry.sent).toEqual([[meterIds[4]]]);
    expect(second).toMatchObject({ skipped: 6, issued: 1, refused: 0 });
    expect(formatSummary(second)).toBe('issued 1, existing 0, refused 0, failed 0 (skipped 6 with a certificate on disk; 7 in the batch file)');
  });

  it('sends items answered `failed` again, alone', async () => {
    const registry = new FakeRegistry();
    registry.failOnce.add(meterIds[1]!);
    const summary = await registerMeters({ ...options(), concurrency: 1 }, io(registry));
    expect(summary).toMatchObject({ issued: 7, failed: 0 });
    expect(registry.sent).toContainEqual([meterIds[1]]);
  });

  it('streams the whole file at once; a cut stream is sent again with only its unanswered meters', async () => {
    const registry = new FakeRegistry();
    registry.cutAfter = 4;
    registry.failOnce.add(meterIds[1]!);
    const summary = await registerMeters({ ...options(), stream: true }, io(registry));
    // The server committed meters 4-6 before the cut: they come back existing.
    expect(registry.sent).toEqual([meterIds, [meterIds[1], ...meterIds.slice(4)]]);
    expect(summary).toMatchObject({ issued: 4, existing: 3, refused: 0, failed: 0 });
    expect(exitCodeOf(summary)).toBe(0);
    expect(lines.join('\n')).toContain('stream cut (ECONNRESET): streaming the 4 unanswered meters again');
    expect(readFileSync(join(dir, 'out', 'results.ndjson'), 'utf8').trim().split('\n')).toHaveLength(7);
    expect(readFileSync(join(dir, 'out', 'chain.pem'), 'utf8')).toBe('CA\nROOT\n');
  });

  it('stops when the server refuses a whole batch, writing nothing', async () => {
    const registry = new FakeRegistry();
    registry.refuseBatch = true;
    const summary = await registerMeters(options(), io(registry));
    expect(summary.aborted).toContain('403');
    expect(exitCodeOf(summary)).toBe(2);
    expect(existsSync(join(dir, 'out', `${meterIds[0]}.pem`))).toBe(false);
  });
});
