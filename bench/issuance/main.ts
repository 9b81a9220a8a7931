/**
 * bench/issuance: certificates per second through the sub-CA's service API. The service runs as in production
 * (`dist/apps/sub-ca/src/main.js`, its own process) on a temporary SoftHSM2 token (root brainpoolP384r1, sub-CA
 * brainpoolP256r1) and a fresh PostgreSQL database; callers send pre-made brainpoolP256r1 PKCS#10 requests over
 * keep-alive connections for a fixed time, in two parts against the same service: one certificate per call
 * (POST /v1/cas/{ca}/certificates) and production batches (POST /v1/cas/{ca}/certificates/batch). Each certificate costs one signature
 * verification (the request's proof of possession) and one HSM signature, so the machine's ceiling is half the raw
 * bp256 signing rate with all workers, measured by bench/lib/hsm-baseline in the same run. Target (issue 3): 70%.
 *
 * Run after a build:  npm run bench -- issuance [options]   (or `bash bench/issuance/run.sh [options]`)
 *   --seconds <n>           timed part (default 10)       --warmup-seconds <n>  untimed first part (default 2)
 *   --concurrency <n>       single requests in flight (default 32)  --requests <n>  distinct CSRs, sent round-robin (default 4000)
 *   --batch <n>             items per batch call (default 250; 1 skips the batch part)
 *   --batch-concurrency <n> batch calls in flight (default 4)
 *   --hsm-workers <n>       the service's SMPKI_HSM_WORKERS (default: cores)
 *   --baseline-seconds <n>  length of each raw HSM figure (default 3)
 *   --sqlite                SQLite file instead of PostgreSQL   --profile  V8 CPU profile of the service, summarised
 *   --check                 exit 1 below 70% of the ceiling     --keep     keep the work directory
 * Writes bench/results/issuance.json.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../../test/support/postgres';
import { ceilingRows, measureCeilingBaseline, signCeiling } from '../lib/ceiling';
import type { HsmBaseline } from '../lib/hsm-baseline';
import { flag, numberOption } from '../lib/options';
import { startSubCaProcess, type SubCaProcess } from '../lib/sub-ca-process';
import { formatRate, formatShare, formatTable } from '../lib/table';
import { inWorkDir, writeResultFile } from '../lib/work-dir';
import { BENCH_CA, BENCH_PROFILE, createBenchPki, type BenchPki } from './bench-pki';
import { summarizeCpuProfile } from './cpu-profile-summary';
import { quantile, runIssuanceLoad, type IssuanceLoadResult } from './issuance-load';
import { createRequestPool } from './request-pool';
import { countStoredCertificates, type StoredCertificates } from './stored-certificates';

/** Issue 3: issuance reaches this share of the ceiling (half the raw bp256 signing rate with all workers). */
export const REQUIRED_SHARE_OF_CEILING = 0.7;

const log = (line: string) => console.error(`[bench/issuance] ${line}`);

interface Settings {
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  batchSize: number;
  batchConcurrency: number;
  requests: number;
  hsmWorkers: number;
  baselineSeconds: number;
  sqlite: boolean;
  profile: boolean;
  keep: boolean;
}

function settings(): Settings {
  return {
    seconds: numberOption('seconds', 10),
    warmupSeconds: numberOption('warmup-seconds', 2),
    concurrency: Math.round(numberOption('concurrency', 32)),
    batchSize: Math.round(numberOption('batch', 250)),
    batchConcurrency: Math.round(numberOption('batch-concurrency', 4)),
    requests: Math.round(numberOption('requests', 4000)),
    hsmWorkers: Math.round(numberOption('hsm-workers', availableParallelism())),
    baselineSeconds: numberOption('baseline-seconds', 3),
    sqlite: flag('sqlite'),
    profile: flag('profile'),
    keep: flag('keep'),
  };
}

interface Part {
  label: string;
  load: IssuanceLoadResult;
  serviceCpuSeconds: number;
  loadAverage: { before: number[]; after: number[] };
}

interface Run {
  parts: Part[];
  stored: StoredCertificates;
  uniqueSerialsSeen: number;
  answered: number;
  profiles: string[];
}

async function database(sqlite: boolean, dataDir: string): Promise<{ url: string; drop(): Promise<void>; label: string }> {
  if (sqlite) return { url: `sqlite:${join(dataDir, 'bench.sqlite')}`, drop: async () => undefined, label: 'SQLite (--sqlite)' };
  if (!(await postgresAvailable())) throw new Error('PostgreSQL is not reachable (SMPKI_TEST_PG_URL or postgres://postgres@127.0.0.1:5432); run with --sqlite to use SQLite instead');
  const db: TestDatabase = await createTestDatabase('smpki_bench');
  return { url: db.url, drop: () => db.drop(), label: `PostgreSQL (${db.name}, dropped afterwards)` };
}

async function runIssuance(options: Settings, workDir: string): Promise<Run & { databaseLabel: string }> {
  const dataDir = join(workDir, 'data');
  const profileDir = join(workDir, 'cpu-profiles');
  mkdirSync(dataDir);
  log('creating the token, root (brainpoolP384r1) and sub-CA (brainpoolP256r1) certificates and an operator token');
  const pki: BenchPki = await createBenchPki(workDir);
  let db: Awaited<ReturnType<typeof database>> | undefined;
  let service: SubCaProcess | undefined;
  try {
    db = await database(options.sqlite, dataDir);
    log(`making ${options.requests} brainpoolP256r1 PKCS#10 requests (not timed)`);
    const requests = await createRequestPool(options.requests);
    log(`starting dist/apps/sub-ca/src/main.js on ${db.label} with ${options.hsmWorkers} HSM workers${options.profile ? ', CPU profile on' : ''}`);
    service = await startSubCaProcess({ pki, dataDir, databaseUrl: db.url, hsmWorkers: options.hsmWorkers, ...(options.profile && { cpuProfileDir: profileDir }) });
    const running = service;
    const part = async (label: string, batchSize: number, concurrency: number): Promise<Part> => {
      log(`${label}: issuing for ${options.warmupSeconds} s (warm-up) + ${options.seconds} s with ${concurrency} calls in flight`);
      const before = loadavg();
      let cpuAtStart = 0;
      let serviceCpuSeconds = 0;
      const load = await runIssuanceLoad({
        baseUrl: running.baseUrl,
        ca: BENCH_CA,
        profile: BENCH_PROFILE,
        accessToken: pki.accessToken,
        requests,
        concurrency,
        batchSize,
        durationMs: options.seconds * 1000,
        warmupMs: options.warmupSeconds * 1000,
        onTimedPart: (edge) => {
          if (edge === 'start') cpuAtStart = running.cpuSeconds();
          else serviceCpuSeconds = running.cpuSeconds() - cpuAtStart;
        },
      });
      return { label, load, serviceCpuSeconds, loadAverage: { before, after: loadavg() } };
    };
    const parts = [await part('single', 1, options.concurrency)];
    if (options.batchSize > 1) parts.push(await part(`batch of ${options.batchSize}`, options.batchSize, options.batchConcurrency));
    // Stopped first: every answer it gave was committed, and a CPU profile is written at exit.
    await service.stop();
    service = undefined;
    const stored = await countStoredCertificates(db.url);
    const profiles = options.profile ? readdirSync(profileDir).map((name) => join(profileDir, name)) : [];
    const serials = parts.flatMap((entry) => entry.load.serials);
    return { parts, stored, uniqueSerialsSeen: new Set(serials).size, answered: serials.length, profiles, databaseLabel: db.label };
  } finally {
    await service?.stop();
    await db?.drop();
    pki.remove();
  }
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function partRows(part: Part, ceiling: number, cores: number): string[][] {
  const { load } = part;
  const share = load.perSecond / ceiling;
  return [
    [`${part.label}: certificates issued (timed part)`, `${load.issued} in ${load.seconds.toFixed(2)} s`],
    [`${part.label}: certificates/s`, formatRate(load.perSecond)],
    [`${part.label}: share of the ceiling`, `${formatShare(share)} (${share >= REQUIRED_SHARE_OF_CEILING ? 'meets' : 'BELOW'} the required ${formatShare(REQUIRED_SHARE_OF_CEILING)})`],
    [`${part.label}: latency per call p50 / p99`, `${ms(quantile(load.latenciesMs, 0.5))} / ${ms(quantile(load.latenciesMs, 0.99))}`],
    [`${part.label}: CPU service / load generator`, `${formatShare(part.serviceCpuSeconds / load.seconds / cores)} / ${formatShare(load.clientCpuSeconds / load.seconds / cores)} of ${cores} cores`],
    [`${part.label}: load average before / after`, `${part.loadAverage.before.map((v) => v.toFixed(2)).join(' ')} / ${part.loadAverage.after.map((v) => v.toFixed(2)).join(' ')}`],
  ];
}

/** The best part's share of the ceiling is what the target is checked against. */
function report(options: Settings, baseline: HsmBaseline, run: Run & { databaseLabel: string }): { text: string; share: number } {
  const ceiling = signCeiling(baseline);
  const share = Math.max(...run.parts.map((part) => part.load.perSecond / ceiling));
  const cores = availableParallelism();
  const rows = [
    ...ceilingRows(baseline),
    ...run.parts.flatMap((part) => partRows(part, ceiling, cores)),
    ['rows in ca_certificate / certificates answered', `${run.stored.rows} / ${run.answered} (warm-ups included)`],
    ['distinct serials (database / answers)', `${run.stored.distinctSerials} / ${run.uniqueSerialsSeen}`],
  ];
  const text = [
    `bench/issuance on ${cores} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${run.databaseLabel}`,
    `POST /v1/cas/${BENCH_CA}/certificates (${BENCH_PROFILE}), ${options.concurrency} in flight; /certificates/batch, ${options.batchSize} items x ${options.batchConcurrency} in flight; ${options.requests} distinct CSRs, ${options.hsmWorkers} HSM workers`,
    '',
    formatTable(['figure', 'value'], rows),
  ].join('\n');
  return { text, share };
}

function profileReport(paths: string[]): string {
  return paths
    .map((path) => {
      const summary = summarizeCpuProfile(path);
      const lines = (shares: Array<{ name: string; ms: number; share: number }>) => shares.map((item) => [item.name, `${Math.round(item.ms)} ms`, formatShare(item.share)]);
      return [
        `CPU profile ${path}: ${Math.round(summary.totalMs)} ms on CPU, ${Math.round(summary.idleMs)} ms idle (whole life of the thread)`,
        formatTable(['area (self time)', 'time', 'share'], lines(summary.areas.slice(0, 10))),
        formatTable(['function (self time)', 'time', 'share'], lines(summary.functions)),
      ].join('\n\n');
    })
    .join('\n\n');
}

/** Nothing lost, nothing extra, no serial twice: else the run does not count. */
function consistencyProblems(run: Run): string[] {
  const problems: string[] = [];
  if (run.stored.rows !== run.answered) problems.push(`ca_certificate holds ${run.stored.rows} rows but the service answered ${run.answered} certificates`);
  if (run.stored.distinctSerials !== run.stored.rows) problems.push(`${run.stored.rows - run.stored.distinctSerials} serial(s) repeat in ca_certificate`);
  if (run.uniqueSerialsSeen !== run.answered) problems.push(`${run.answered - run.uniqueSerialsSeen} serial(s) were answered twice`);
  return problems;
}

async function main(): Promise<void> {
  const options = settings();
  const baseline = await measureCeilingBaseline(options.baselineSeconds, log);
  await inWorkDir('smpki-bench-issuance-', options.keep, log, async (workDir) => {
    const run = await runIssuance(options, workDir);
    const { text, share } = report(options, baseline, run);
    console.log(text);
    if (run.profiles.length > 0) console.log(`\n${profileReport(run.profiles)}`);
    const problems = consistencyProblems(run);
    for (const problem of problems) console.log(`PROBLEM: ${problem}`);
    const parts = run.parts.map(({ label, load: { latenciesMs, serials, ...load }, serviceCpuSeconds, loadAverage }) => ({
      label,
      ...load,
      answered: serials.length,
      p50Ms: quantile(latenciesMs, 0.5),
      p99Ms: quantile(latenciesMs, 0.99),
      serviceCpuSeconds,
      loadAverage,
    }));
    writeResultFile(
      'issuance',
      {
        measuredAt: new Date().toISOString(),
        settings: options,
        database: run.databaseLabel,
        parts,
        stored: run.stored,
        ceilingPerSecond: signCeiling(baseline),
        shareOfCeiling: share,
        requiredShare: REQUIRED_SHARE_OF_CEILING,
        problems,
        hsmBaseline: baseline,
      },
      log,
    );
    if (problems.length > 0 || (flag('check') && share < REQUIRED_SHARE_OF_CEILING)) process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
