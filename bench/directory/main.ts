/**
 * bench/directory: LDAP searches per second on a DIT of a million meter entries, the smpki directory
 * (dist/apps/directory/src/main.js on a fresh PostgreSQL database, its own process) against Debian's OpenLDAP slapd
 * (mdb backend, equality indexes on cn and serialNumber) loaded with the same entries, measured in the same run by
 * the same client (./ldap-load-client: pre-encoded requests pipelined over several connections). Two searches:
 *   base     the DN of a random meter, scope base, (objectClass=*)
 *   subtree  from the CA entry, scope sub, (serialNumber=<random meter id>)
 * both asking for userCertificate;binary. Every answer is checked: success with exactly one entry. Beside each
 * server's own CPU, smpki's figures give that of the PostgreSQL backends serving it (slapd has its storage inside).
 * Goal (issue 5): at least slapd's searches per second, p99 under 5 ms.
 *
 * Run after a build:  npm run bench -- directory [options]
 *   --entries <n>      meter entries (default 1000000)     --seconds <n>  each timed figure (default 10)
 *   --warmup <n>       seconds of warm-up before each figure (default 3)
 *   --connections <n>  client connections (default 4)      --depth <n>    searches in flight per connection (default 4)
 *   --check            exit 1 when the goal is not met     --keep         keep the work directory
 * SMPKI_DIRECTORY_MAIN runs another build of the directory; SMPKI_BENCH_DIRECTORY_NODE_OPTIONS are its NODE_OPTIONS
 * (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the search path). Writes bench/results/directory.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Pkcs11KeyManager } from '@smpki/hsm';
import { createTestToken, testHsmConfig, type TestToken } from '../../test/support/softhsm';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../../test/support/postgres';
import { meterId } from '../calibration/meter-ids';
import { quantile } from '../issuance/issuance-load';
import { startDirectoryProcess, type DirectoryProcess } from '../lib/directory-process';
import { flag, integerOption, numberOption } from '../lib/options';
import { processCpuSeconds } from '../lib/sub-ca-process';
import { loadSlapd, startSlapd, type Slapd, type SlapdOptions } from '../lib/slapd';
import { formatRate, formatTable } from '../lib/table';
import { inWorkDir, writeResultFile } from '../lib/work-dir';
import { equalityFilter, runSearchLoad, searchRequest, type LoadResult, type PreparedSearch } from './ldap-load-client';
import { createCertificateTemplate, meterCertificate, type CertificateTemplate } from './meter-certificates';
import { loadSmpkiDirectory, type BenchDit } from './smpki-load';

/** Issue 5: p99 latency under this, and at least slapd's rate. */
export const TARGET_P99_MS = 5;
const CERTIFICATE_ATTRIBUTE = 'userCertificate;binary';
const LDIF_CHUNK = 2000;

const log = (line: string) => console.error(`[bench/directory] ${line}`);

const DIT: BenchDit = {
  caDn: 'cn=SM-Bench-Calibration.CA,o=SM-Bench-PKI-DE,c=DE',
  caCommonName: 'SM-Bench-Calibration.CA',
  meterId: (index) => meterId('EMH', index),
  meterDn: (index) => `serialNumber=${meterId('EMH', index)},cn=SM-Bench-Calibration.CA,o=SM-Bench-PKI-DE,c=DE`,
};

interface Settings {
  entries: number;
  seconds: number;
  warmup: number;
  connections: number;
  depth: number;
  keep: boolean;
}

function settings(): Settings {
  return {
    entries: integerOption('entries', 1_000_000),
    seconds: numberOption('seconds', 10),
    warmup: numberOption('warmup', 3),
    connections: integerOption('connections', 4),
    depth: integerOption('depth', 4),
    keep: flag('keep'),
  };
}

type SearchKind = 'base' | 'subtree';
const SEARCH_KINDS: SearchKind[] = ['base', 'subtree'];

/** A random meter's search of the given kind (pre-encoded; the load client adds the message id). */
function searches(kind: SearchKind, entries: number): () => PreparedSearch {
  return () => {
    const index = 1 + Math.floor(Math.random() * entries);
    const op =
      kind === 'base'
        ? searchRequest(DIT.meterDn(index), 'base', equalityFilter('objectClass'), [CERTIFICATE_ATTRIBUTE])
        : searchRequest(DIT.caDn, 'sub', equalityFilter('serialNumber', DIT.meterId(index)), [CERTIFICATE_ATTRIBUTE]);
    return { op, expectedEntries: 1 };
  };
}

function* slapdLdif(template: CertificateTemplate, count: number): Generator<string> {
  yield [
    'dn: c=DE\nobjectClass: country\nc: DE\n',
    'dn: o=SM-Bench-PKI-DE,c=DE\nobjectClass: organization\no: SM-Bench-PKI-DE\n',
    `dn: ${DIT.caDn}\nobjectClass: applicationProcess\nobjectClass: pkiCA\ncn: ${DIT.caCommonName}\ncACertificate;binary:: ${template.der.toString('base64')}\n`,
    '',
  ].join('\n');
  for (let from = 1; from <= count; from += LDIF_CHUNK) {
    const lines: string[] = [];
    for (let index = from; index < Math.min(count + 1, from + LDIF_CHUNK); index++) {
      const id = DIT.meterId(index);
      const certificate = meterCertificate(template, index, id).toString('base64');
      lines.push(`dn: ${DIT.meterDn(index)}\nobjectClass: device\nobjectClass: pkiUser\ncn: ${id}\nserialNumber: ${id}\n${CERTIFICATE_ATTRIBUTE}:: ${certificate}\n\n`);
    }
    yield lines.join('');
  }
}

/** The token and the token-signing key the directory process needs to start (it verifies publishers' bearer tokens). */
async function directoryToken(): Promise<{ token: TestToken; tokenKeyUri: string }> {
  const token = createTestToken('smpki-bench-directory', '1234', '123456');
  const tokenKeyUri = `pkcs11:token=${token.label};object=auth-token`;
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1, callTimeoutMs: 10_000 }));
  try {
    await km.createEcKeyPair(tokenKeyUri, 'P-256');
  } finally {
    await km.close();
  }
  return { token, tokenKeyUri };
}

/** Fetches one meter's certificate with Debian's ldapsearch: both servers must answer the same bytes. */
function fetchCertificate(url: string, index: number): Buffer {
  const output = execFileSync('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', url, '-b', DIT.caDn, `(serialNumber=${DIT.meterId(index)})`, CERTIFICATE_ATTRIBUTE], { encoding: 'utf8' });
  const line = output.split('\n').find((candidate) => candidate.toLowerCase().startsWith('usercertificate;binary::'));
  return Buffer.from(line?.slice(line.indexOf('::') + 2).trim() ?? '', 'base64');
}

interface Figure {
  server: 'smpki' | 'slapd';
  kind: SearchKind;
  load: LoadResult;
  cpuSeconds: number;
  /** smpki: the CPU of the PostgreSQL backends serving it (slapd's storage runs in its own process). */
  databaseCpuSeconds?: number;
}

/** The CPU seconds so far of the PostgreSQL backends connected to `db` (the directory's pool), by pid. */
async function databaseCpu(db: TestDatabase): Promise<() => number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
    return () => rows.reduce((sum, row) => sum + processCpuSeconds(row.pid), 0);
  } finally {
    await client.end();
  }
}

async function measure(server: Figure['server'], port: number, kind: SearchKind, options: Settings, cpuSeconds: () => number, db?: TestDatabase): Promise<Figure> {
  const next = searches(kind, options.entries);
  const load = { port, connections: options.connections, depth: options.depth, next };
  await runSearchLoad({ ...load, seconds: options.warmup });
  // After the warm-up: the directory's pool has its connections.
  const databaseSeconds = db ? await databaseCpu(db) : undefined;
  const cpuAtStart = cpuSeconds();
  const databaseAtStart = databaseSeconds?.();
  const result = await runSearchLoad({ ...load, seconds: options.seconds });
  const figure = { server, kind, load: result, cpuSeconds: cpuSeconds() - cpuAtStart, databaseCpuSeconds: databaseSeconds && databaseSeconds() - databaseAtStart! };
  log(`  ${server} ${kind}: ${formatRate(result.perSecond)}, p99 ${quantile(result.latenciesMs, 0.99).toFixed(2)} ms, ${result.wrongAnswers} wrong answers`);
  return figure;
}

interface Run {
  figures: Figure[];
  loadSeconds: { smpki: number; slapd: number };
}

async function runBench(options: Settings, workDir: string): Promise<Run> {
  if (!(await postgresAvailable())) throw new Error('PostgreSQL is not reachable (SMPKI_TEST_PG_URL or postgres://postgres@127.0.0.1:5432)');
  const template = createCertificateTemplate(workDir);
  const slapdOptions: SlapdOptions = { dir: join(workDir, 'slapd'), suffix: 'c=DE', equalityIndexes: ['cn', 'serialNumber'] };
  mkdirSync(slapdOptions.dir);
  let db: TestDatabase | undefined;
  let hsm: { token: TestToken; tokenKeyUri: string } | undefined;
  let directory: DirectoryProcess | undefined;
  let slapd: Slapd | undefined;
  try {
    hsm = await directoryToken();
    db = await createTestDatabase('smpki_bench_directory');
    log(`starting the directory (PostgreSQL ${db.name}) and loading ${options.entries} meter entries`);
    const nodeOptions = process.env.SMPKI_BENCH_DIRECTORY_NODE_OPTIONS;
    directory = await startDirectoryProcess({ pki: hsm, dataDir: join(workDir, 'data'), databaseUrl: db.url, env: nodeOptions ? { NODE_OPTIONS: nodeOptions } : {} });
    let started = performance.now();
    await loadSmpkiDirectory(db.url, DIT, template, options.entries, log);
    const smpkiLoad = (performance.now() - started) / 1000;
    log(`loading slapd with the same entries (slapadd -q)`);
    started = performance.now();
    await loadSlapd(slapdOptions, slapdLdif(template, options.entries));
    const slapdLoad = (performance.now() - started) / 1000;
    slapd = await startSlapd(slapdOptions);
    const sample = Math.max(1, Math.floor(options.entries / 2));
    const expected = meterCertificate(template, sample, DIT.meterId(sample));
    for (const [name, url] of [['smpki', directory.ldapUrl], ['slapd', slapd.url]] as const) {
      if (!fetchCertificate(url, sample).equals(expected)) throw new Error(`${name} did not answer meter ${DIT.meterId(sample)}'s certificate`);
    }
    const figures: Figure[] = [];
    for (const kind of SEARCH_KINDS) {
      log(`${kind} searches: ${options.warmup} s warm-up, ${options.seconds} s timed, ${options.connections} connections x ${options.depth} in flight`);
      figures.push(await measure('smpki', directory.ldapPort, kind, options, directory.cpuSeconds, db));
      figures.push(await measure('slapd', slapd.port, kind, options, () => processCpuSeconds(slapd!.pid)));
    }
    return { figures, loadSeconds: { smpki: smpkiLoad, slapd: slapdLoad } };
  } finally {
    await slapd?.stop();
    await directory?.stop();
    await db?.drop();
    hsm?.token.remove();
  }
}

function summary(run: Run) {
  return SEARCH_KINDS.map((kind) => {
    const smpki = run.figures.find((figure) => figure.kind === kind && figure.server === 'smpki')!;
    const slapd = run.figures.find((figure) => figure.kind === kind && figure.server === 'slapd')!;
    const p99 = quantile(smpki.load.latenciesMs, 0.99);
    return { kind, smpki, slapd, ratio: smpki.load.perSecond / slapd.load.perSecond, p99, met: smpki.load.perSecond >= slapd.load.perSecond && p99 < TARGET_P99_MS };
  });
}

function report(options: Settings, run: Run): string {
  const rows = run.figures.map((figure) => [
    `${figure.kind} / ${figure.server}`,
    formatRate(figure.load.perSecond),
    `${quantile(figure.load.latenciesMs, 0.5).toFixed(2)} ms`,
    `${quantile(figure.load.latenciesMs, 0.99).toFixed(2)} ms`,
    `${(figure.cpuSeconds / figure.load.seconds).toFixed(2)}`,
    figure.databaseCpuSeconds === undefined ? '-' : `${(figure.databaseCpuSeconds / figure.load.seconds).toFixed(2)}`,
    String(figure.load.wrongAnswers),
  ]);
  const verdicts = summary(run).map(
    (entry) => `${entry.kind}: smpki/slapd = ${entry.ratio.toFixed(2)}, smpki p99 ${entry.p99.toFixed(2)} ms -> goal (>= slapd, p99 < ${TARGET_P99_MS} ms) ${entry.met ? 'met' : 'NOT met'}`,
  );
  return [
    `bench/directory on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    `${options.entries.toLocaleString('en-US')} meter entries below ${DIT.caDn}; loaded in ${run.loadSeconds.smpki.toFixed(0)} s (PostgreSQL) / ${run.loadSeconds.slapd.toFixed(0)} s (slapadd -q)`,
    'certificates: one openssl brainpoolP256r1 certificate as template, serial and meter id patched in per entry (signatures do not verify)',
    `client: raw BER, ${options.connections} connections x ${options.depth} in flight, ${options.seconds} s per figure after ${options.warmup} s warm-up; every answer checked (1 entry)`,
    '',
    formatTable(['search / server', 'searches/s', 'p50', 'p99', 'server cores', 'PostgreSQL cores', 'wrong answers'], rows),
    '',
    ...verdicts,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = settings();
  await inWorkDir('smpki-bench-directory-', options.keep, log, async (workDir) => {
    const run = await runBench(options, workDir);
    console.log(report(options, run));
    const verdicts = summary(run);
    const wrong = run.figures.reduce((sum, figure) => sum + figure.load.wrongAnswers, 0);
    for (const figure of run.figures) if (figure.load.firstWrongAnswer) console.log(`PROBLEM: ${figure.server} ${figure.kind}: ${figure.load.wrongAnswers} wrong answers, first: ${figure.load.firstWrongAnswer}`);
    writeResultFile(
      'directory',
      {
        measuredAt: new Date().toISOString(),
        settings: options,
        loadSeconds: run.loadSeconds,
        figures: run.figures.map(({ load: { latenciesMs, firstWrongAnswer, ...load }, ...figure }) => ({
          ...figure,
          ...load,
          p50Ms: quantile(latenciesMs, 0.5),
          p99Ms: quantile(latenciesMs, 0.99),
          firstWrongAnswer,
        })),
        ratios: Object.fromEntries(verdicts.map((entry) => [entry.kind, entry.ratio])),
        targetP99Ms: TARGET_P99_MS,
        goalMet: verdicts.every((entry) => entry.met),
      },
      log,
    );
    if (wrong > 0 || (flag('check') && !verdicts.every((entry) => entry.met))) process.exitCode = 1;
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
