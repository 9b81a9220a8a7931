/**
 * The sub-CA service as production runs it: `node dist/apps/sub-ca/src/main.js` in its own process, configured only
 * through SMPKI_* variables, over plain HTTP or (with `tls`) HTTPS with client-certificate authentication. A child
 * process rather than the app in the benchmark's process, so that the load generator's event loop and the service's
 * do not share one thread (they still share the machine's cores). It can be stopped gracefully or killed outright
 * (SIGKILL, the crash test) and started again on the same database and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve, sep } from 'node:path';
import type { TestToken } from '../../test/support/softhsm';

/** The repository: this file runs from source (bench/lib) or compiled (dist/bench/lib). */
const ROOT = resolve(__dirname, __dirname.split(sep).includes('dist') ? '../../..' : '../..');
/** SMPKI_SUB_CA_MAIN: a build elsewhere (e.g. while dist/ is being rebuilt by someone else). */
const MAIN = process.env.SMPKI_SUB_CA_MAIN ?? join(ROOT, 'dist/apps/sub-ca/src/main.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Lines of the service's output kept for error messages. */
const KEPT_LINES = 60;

/** What the service needs of a benchmark's hierarchy. */
export interface SubCaPki {
  token: TestToken;
  caConfigPath: string;
  tokenKeyUri: string;
}

/** The HTTPS listener's files (SMPKI_TLS_*). */
export interface SubCaTls {
  certFile: string;
  keyFile: string;
  /** SMPKI_TLS_CLIENT_CA_FILE: the CAs whose client certificates are accepted. */
  clientCaFile: string;
  /** Verifies the service's server certificate (the readiness check trusts it). */
  caFile: string;
}

export interface SubCaProcessOptions {
  pki: SubCaPki;
  dataDir: string;
  /** SMPKI_DB_URL: postgres://... or sqlite:<file>. */
  databaseUrl: string;
  hsmWorkers: number;
  /** Serve HTTPS with client-certificate authentication instead of plain HTTP. */
  tls?: SubCaTls;
  /** Keep the port of an earlier start (a restart after a kill). */
  port?: number;
  /** More SMPKI_* settings; they win over the ones derived above. */
  env?: NodeJS.ProcessEnv;
  /** Write a V8 CPU profile of the service into this directory (`--cpu-prof`). */
  cpuProfileDir?: string;
}

export interface SubCaProcess {
  pid: number;
  port: number;
  /** http(s)://127.0.0.1:<port> */
  baseUrl: string;
  /** CPU seconds (user + system) the service and its HSM worker threads have used so far (Linux /proc). */
  cpuSeconds(): number;
  /** The last lines the service wrote (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, connections break mid-answer. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

export async function startSubCaProcess(options: SubCaProcessOptions): Promise<SubCaProcess> {
  const port = options.port ?? (await freePort());
  const nodeOptions = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...nodeOptions, MAIN], { cwd: ROOT, env: serviceEnv(options, port), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepOutput(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const ca = options.tls ? readFileSync(options.tls.caFile) : undefined;
  try {
    await waitUntilReady(baseUrl, ca, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the sub-CA service did not become ready: ${(error as Error).message}\n--- service output ---\n${output()}`);
  }
  return {
    pid: child.pid!,
    port,
    baseUrl,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    output,
    stop: () => signal(child, exited, 'SIGTERM'),
    kill: () => signal(child, exited, 'SIGKILL'),
  };
}

/** Only what the service needs: no SMPKI_* of the benchmark's own environment leaks in. */
function serviceEnv(options: SubCaProcessOptions, port: number): NodeJS.ProcessEnv {
  const { pki, tls } = options;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SOFTHSM2_CONF: pki.token.configPath,
    SMPKI_CA_CONFIG: pki.caConfigPath,
    SMPKI_DATA_DIR: options.dataDir,
    SMPKI_DB_URL: options.databaseUrl,
    SMPKI_HTTP_HOST: '127.0.0.1',
    SMPKI_HTTP_PORT: String(port),
    SMPKI_LOG_LEVEL: 'warn',
    SMPKI_HSM_MODULE: pki.token.modulePath,
    SMPKI_HSM_TOKEN: pki.token.label,
    SMPKI_HSM_PIN: pki.token.userPin,
    SMPKI_HSM_WORKERS: String(options.hsmWorkers),
    SMPKI_AUTH_TOKEN_KEY: pki.tokenKeyUri,
    ...(tls && { SMPKI_TLS_CERT_FILE: tls.certFile, SMPKI_TLS_KEY_FILE: tls.keyFile, SMPKI_TLS_CLIENT_CA_FILE: tls.clientCaFile }),
    ...options.env,
  };
}

/** Keeps the last lines of stdout and stderr; returns what reads them. */
export function keepOutput(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return () => lines.join('\n');
}

/** The status of a GET, 0 when nothing answered; `ca` (HTTPS) verifies the server certificate. */
function readyStatus(url: string, ca: Buffer | undefined): Promise<number> {
  return new Promise((done) => {
    const onResponse = (response: { statusCode?: number; resume(): void }) => {
      response.resume();
      done(response.statusCode ?? 0);
    };
    const request = ca ? httpsGet(url, { ca, timeout: 2000 }, onResponse) : httpGet(url, { timeout: 2000 }, onResponse);
    request.on('error', () => done(0));
    request.on('timeout', () => request.destroy());
  });
}

export async function waitUntilReady(baseUrl: string, ca: Buffer | undefined, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    if ((await readyStatus(`${baseUrl}/readyz`, ca)) === 200) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`no 200 from /readyz within ${READY_TIMEOUT_MS / 1000} s (pid ${child.pid})`);
}

export async function signal(child: ChildProcess, exited: Promise<void>, name: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(name);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks; 100 per second on Linux). */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
