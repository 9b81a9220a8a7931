/**
 * `smpki meters register --stream` as a production line runs it: the CLI process against the sub-CA over mutual TLS
 * (SoftHSM2), the whole batch file as one NDJSON stream; certificates and results.ndjson written; a second run
 * after losing some certificate files sends only those and gets them back as `existing`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createRequestPool } from '../../bench/issuance/request-pool';
import { meterIds } from '../registry/support/meter-requests';
import { TlsRegistry, type ManufacturerClient } from '../registry/support/tls-registry';

const ROOT = resolve(__dirname, '../..');
const RUNNER = join(ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');
const METERS = 30;

/** The CLI as a child process; never spawnSync here: the server answering it runs in this process. */
async function smpki(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--require', RUNNER, join(ROOT, 'apps/cli/src/main.ts'), ...args], { encoding: 'utf8' });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('smpki meters register --stream', () => {
  jest.setTimeout(60_000);
  const registry = new TlsRegistry();
  let emh: ManufacturerClient;
  let dir: string;
  const ids = meterIds('EMH', 500, METERS);

  beforeAll(async () => {
    await registry.start();
    emh = await registry.onboard('EMH metering', '4012345000016', 'EMH');
    dir = mkdtempSync(join(tmpdir(), 'smpki-meters-stream-'));
    const requests = await createRequestPool(METERS);
    writeFileSync(join(dir, 'batch.ndjson'), ids.map((meterId, index) => `${JSON.stringify({ meterId, request: requests[index], calibrationStation: 'line-7' })}\n`).join(''));
  }, 120_000);
  afterAll(async () => {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = () =>
    smpki('meters', 'register', '--stream', '--url', `https://127.0.0.1:${registry.port}`, '--servername', 'localhost', '--cert', emh.certFile, '--key', emh.keyFile, '--ca', emh.caFile, '--file', join(dir, 'batch.ndjson'), '--out', join(dir, 'out'));

  it('registers the whole file as one stream and writes every certificate and result', async () => {
    const run = await register();
    expect(run.stderr).not.toMatch(/retry|STOPPED|refused/);
    expect(run).toMatchObject({ status: 0 });
    expect(run.stdout).toContain(`issued ${METERS}, existing 0, refused 0, failed 0`);
    const files = readdirSync(join(dir, 'out'));
    expect(files.filter((name) => name.endsWith('.pem')).sort()).toEqual(['chain.pem', ...ids.map((id) => `${id}.pem`)].sort());
    const results = readFileSync(join(dir, 'out', 'results.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(results.map((result) => result.meterId).sort()).toEqual([...ids].sort());
    expect(results.every((result) => result.status === 'issued' && result.serial)).toBe(true);
  });

  it('resumes: only the meters without a certificate file are streamed again, and come back existing', async () => {
    for (const id of ids.slice(0, 5)) unlinkSync(join(dir, 'out', `${id}.pem`));
    const run = await register();
    expect(run).toMatchObject({ status: 0 });
    expect(run.stdout).toContain(`issued 0, existing 5, refused 0, failed 0 (skipped ${METERS - 5}`);
    expect(readFileSync(join(dir, 'out', `${ids[0]}.pem`), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
