/**
 * bench/calibration: meters certified per second through the production-line API, POST /v1/meters/batch, over TLS
 * with a manufacturer's client certificate (mutual TLS), as a calibration line sends it. The sub-CA runs as in
 * production (dist/apps/sub-ca/src/main.js, its own process, HTTPS with client-certificate authentication) on a
 * temporary SoftHSM2 token and a fresh PostgreSQL database; the batches go through the production-line client of
 * `smpki meters register` (apps/cli/src/meters/registry-client.ts). Every meter has its own brainpoolP256r1 key
 * (made before the clock starts), so each is one proof-of-possession verification, one HSM signature and one
 * registry row: the ceiling is half the raw bp256 signing rate with all workers, measured by bench/lib/hsm-baseline
 * in the same run. Target (issue 4): 1,500 meters/s on 2 cores.
 *
 * Run after a build:  npm run bench -- calibration [options]
 *   --meters <n>            meters in the timed part (default 15000)   --warmup <n>  meters before it (default 2000)
 *   --batch <n>             meters per call (default 500, at most 2000) --batch-concurrency <n>  calls in flight (default 4)
 *   --hsm-workers <n>       the service's SMPKI_HSM_WORKERS (default: cores)
 *   --baseline-seconds <n>  length of each raw HSM figure (default 3)
 *   --check                 exit 1 below 1,500 meters/s                --keep  keep the work directory
 * Writes bench/results/calibration.json.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { RegistryClient, type BatchAnswer } from '../../apps/cli/src/meters/registry-client';
import type { MeterItem } from '../../apps/cli/src/meters/batch-file';
import { chunk } from '../../apps/cli/src/meters/output-directory';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../../test/support/postgres';
import { quantile } from '../issuance/issuance-load';
import { createRequestPool } from '../issuance/request-pool';
import { ceilingRows, measureCeilingBaseline, signCeiling } from '../lib/ceiling';
import type { HsmBaseline } from '../lib/hsm-baseline';
import { flag, numberOption } from '../lib/options';
import { formatRate, formatShare, formatTable } from '../lib/table';
import { inWorkDir, writeResultFile } from '../lib/work-dir';
import { createCalibrationPki, type CalibrationPki } from './calibration-pki';
import { busyShare, readCpuTimes } from './machine-cpu';
import { onboardManufacturer } from './manufacturer';
import { meterId } from './meter-ids';
import { startTlsSubCa, type TlsSubCaProcess } from './tls-sub-ca-process';

/** Issue 4: at least this many brainpoolP256r1 meters per second on 2 cores. */
export const TARGET_METERS_PER_SECOND = 1500;
const FLAG_ID = 'EMH';

const log = (line: string) => console.error(`[bench/calibration] ${line}`);

interface Settings {
  meters: number;
  warmup: number;
  batchSize: number;
  batchConcurrency: number;
  hsmWorkers: number;
  baselineSeconds: number;
  keep: boolean;
}

function settings(): Settings {
  return {
    meters: Math.round(numberOption('meters', 15000)),
    warmup: Math.round(numberOption('warmup', 2000)),
    batchSize: Math.min(2000, Math.round(numberOption('batch', 500))),
    batchConcurrency: Math.round(numberOption('batch-concurrency', 4)),
    hsmWorkers: Math.round(numberOption('hsm-workers', availableParallelism())),
    baselineSeconds: numberOption('baseline-seconds', 3),
    keep: flag('keep'),
  };
}

interface Load {
  certified: number;
  notCertified: number;
  seconds: number;
  perSecond: number;
  latenciesMs: Float64Array;
  serviceCpuSeconds: number;
  /** Busy share of all cores (service, PostgreSQL, load generator). */
  machineBusyShare: number;
  serials: string[];
}

/** Sends the chunks, `concurrency` in flight; counts issued items, remembers serials and call latencies. */
async function sendChunks(client: RegistryClient, chunks: MeterItem[][], concurrency: number, service: TlsSubCaProcess): Promise<Load> {
  const latencies: number[] = [];
  const serials: string[] = [];
  let notCertified = 0;
  const queue = [...chunks];
  const cpuAtStart = service.cpuSeconds();
  const machineAtStart = readCpuTimes();
  const start = performance.now();
  const worker = async () => {
    for (let items = queue.shift(); items; items = queue.shift()) {
      const sent = performance.now();
      const answer: BatchAnswer = await client.registerBatch(items);
      latencies.push(performance.now() - sent);
      for (const item of answer.items) {
        if (item.status === 'issued' && item.certificate) serials.push(item.certificate.serial);
        else notCertified++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return {
    certified: serials.length,
    notCertified,
    seconds,
    perSecond: serials.length / seconds,
    latenciesMs: Float64Array.from(latencies).sort(),
    serviceCpuSeconds: service.cpuSeconds() - cpuAtStart,
    machineBusyShare: busyShare(machineAtStart, readCpuTimes()),
    serials,
  };
}

interface Stored {
  meters: number;
  certified: number;
  distinctSerials: number;
  calibrationCertificates: number;
}

async function countStored(databaseUrl: string): Promise<Stored> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const meters = await client.query<{ meters: string; certified: string; serials: string }>(
      `SELECT COUNT(*) AS meters, COUNT(*) FILTER (WHERE status = 'certified') AS certified, COUNT(DISTINCT certificate_serial) AS serials FROM meter`,
    );
    const certificates = await client.query<{ rows: string }>(`SELECT COUNT(*) AS rows FROM ca_certificate WHERE profile = 'meter-calibration'`);
    const row = meters.rows[0]!;
    return { meters: Number(row.meters), certified: Number(row.certified), distinctSerials: Number(row.serials), calibrationCertificates: Number(certificates.rows[0]!.rows) };
  } finally {
    await client.end();
  }
}

async function meterItems(count: number): Promise<MeterItem[]> {
  const requests = await createRequestPool(count);
  return requests.map((request, index) => ({ meterId: meterId(FLAG_ID, index), request, type: 'electricity', calibrationStation: 'bench' }));
}

interface Run {
  load: Load;
  warmup: Load;
  stored: Stored;
}

async function runCalibration(options: Settings, workDir: string): Promise<Run> {
  if (!(await postgresAvailable())) throw new Error('PostgreSQL is not reachable (SMPKI_TEST_PG_URL or postgres://postgres@127.0.0.1:5432)');
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir);
  log('creating the token, root (brainpoolP384r1), calibration and market CAs (brainpoolP256r1), TLS files, administrator token');
  const pki: CalibrationPki = await createCalibrationPki(workDir);
  let db: TestDatabase | undefined;
  let service: TlsSubCaProcess | undefined;
  let client: RegistryClient | undefined;
  try {
    db = await createTestDatabase('smpki_bench_calibration');
    log(`making ${options.warmup + options.meters} brainpoolP256r1 meter requests (not timed)`);
    const items = await meterItems(options.warmup + options.meters);
    log(`starting dist/apps/sub-ca/src/main.js over HTTPS with client certificates, PostgreSQL ${db.name}, ${options.hsmWorkers} HSM workers`);
    service = await startTlsSubCa({ pki, dataDir, databaseUrl: db.url, hsmWorkers: options.hsmWorkers });
    const manufacturer = await onboardManufacturer({ baseUrl: service.baseUrl, caFile: pki.tls.caFile, adminToken: pki.adminToken, dir: workDir, name: 'Bench Meters GmbH', gln: '4012345000009', flagId: FLAG_ID });
    client = new RegistryClient({ url: service.baseUrl, certFile: manufacturer.certFile, keyFile: manufacturer.keyFile, caFile: pki.tls.caFile, maxSockets: options.batchConcurrency, timeoutMs: 300_000, retries: 0 });
    log(`warm-up: ${options.warmup} meters in batches of ${options.batchSize}`);
    const warmup = await sendChunks(client, chunk(items.slice(0, options.warmup), options.batchSize), options.batchConcurrency, service);
    log(`timed: ${options.meters} meters in batches of ${options.batchSize}, ${options.batchConcurrency} calls in flight`);
    const load = await sendChunks(client, chunk(items.slice(options.warmup), options.batchSize), options.batchConcurrency, service);
    client.close();
    client = undefined;
    await service.stop();
    service = undefined;
    return { load, warmup, stored: await countStored(db.url) };
  } finally {
    client?.close();
    await service?.stop();
    await db?.drop();
    pki.remove();
  }
}

function report(options: Settings, baseline: HsmBaseline, run: Run): string {
  const ceiling = signCeiling(baseline);
  const { load } = run;
  const cores = availableParallelism();
  const rows = [
    ...ceilingRows(baseline),
    ['meters certified (timed part)', `${load.certified} in ${load.seconds.toFixed(2)} s (${load.notCertified} not certified)`],
    ['meters certified/s (mutual TLS, PostgreSQL)', formatRate(load.perSecond)],
    ['share of the ceiling', formatShare(load.perSecond / ceiling)],
    ['target', `${formatRate(TARGET_METERS_PER_SECOND)} on 2 cores: ${load.perSecond >= TARGET_METERS_PER_SECOND ? 'met' : 'NOT met'}${cores === 2 ? '' : ` (this machine has ${cores} cores)`}`],
    ['latency per batch call p50 / p99', `${quantile(load.latenciesMs, 0.5).toFixed(1)} ms / ${quantile(load.latenciesMs, 0.99).toFixed(1)} ms`],
    ['CPU of the service / the whole machine', `${formatShare(load.serviceCpuSeconds / load.seconds / cores)} / ${formatShare(load.machineBusyShare)} of ${cores} cores`],
    ['meter rows certified / certificates answered', `${run.stored.certified} / ${load.certified + run.warmup.certified} (warm-up included)`],
    ['distinct serials (meter table / meter-calibration certificates)', `${run.stored.distinctSerials} / ${run.stored.calibrationCertificates}`],
  ];
  return [
    `bench/calibration on ${cores} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    `POST /v1/meters/batch over TLS 1.2+ with a brainpoolP256r1 client certificate; ${options.batchSize} meters per call x ${options.batchConcurrency} in flight; ${options.hsmWorkers} HSM workers`,
    '',
    formatTable(['figure', 'value'], rows),
  ].join('\n');
}

/** Every answered certificate stored once, every meter row certified, no serial twice. */
function consistencyProblems(run: Run): string[] {
  const answered = run.load.certified + run.warmup.certified;
  const problems: string[] = [];
  if (run.load.notCertified + run.warmup.notCertified > 0) problems.push(`${run.load.notCertified + run.warmup.notCertified} meter(s) were not certified`);
  if (run.stored.certified !== answered) problems.push(`the meter table holds ${run.stored.certified} certified meters but ${answered} certificates were answered`);
  if (run.stored.calibrationCertificates !== answered) problems.push(`ca_certificate holds ${run.stored.calibrationCertificates} meter certificates but ${answered} were answered`);
  if (run.stored.distinctSerials !== run.stored.certified) problems.push('a serial repeats in the meter table');
  if (new Set([...run.load.serials, ...run.warmup.serials]).size !== answered) problems.push('a serial was answered twice');
  return problems;
}

async function main(): Promise<void> {
  const options = settings();
  const baseline = await measureCeilingBaseline(options.baselineSeconds, log);
  await inWorkDir('smpki-bench-calibration-', options.keep, log, async (workDir) => {
    const run = await runCalibration(options, workDir);
    console.log(report(options, baseline, run));
    const problems = consistencyProblems(run);
    for (const problem of problems) console.log(`PROBLEM: ${problem}`);
    const { latenciesMs, serials, ...load } = run.load;
    writeResultFile(
      'calibration',
      {
        measuredAt: new Date().toISOString(),
        settings: options,
        load: { ...load, p50Ms: quantile(latenciesMs, 0.5), p99Ms: quantile(latenciesMs, 0.99) },
        stored: run.stored,
        ceilingPerSecond: signCeiling(baseline),
        shareOfCeiling: load.perSecond / signCeiling(baseline),
        targetPerSecond: TARGET_METERS_PER_SECOND,
        problems,
        hsmBaseline: baseline,
      },
      log,
    );
    if (problems.length > 0 || (flag('check') && load.perSecond < TARGET_METERS_PER_SECOND)) process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
