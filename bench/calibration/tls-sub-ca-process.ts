/**
 * The sub-CA service as a production line reaches it: `node dist/apps/sub-ca/src/main.js` in its own process,
 * serving HTTPS with client-certificate authentication (SMPKI_TLS_*), configured only through SMPKI_* variables.
 * It can be stopped gracefully or killed outright (SIGKILL, the crash test) and started again on the same database.
 * (bench/issuance/sub-ca-process.ts starts the same service over plain HTTP and takes no extra settings.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { CalibrationPki } from './calibration-pki';

const ROOT = resolve(__dirname, '../..');
/** SMPKI_SUB_CA_MAIN: a build elsewhere (e.g. while dist/ is being rebuilt by someone else). */
const MAIN = process.env.SMPKI_SUB_CA_MAIN ?? join(ROOT, 'dist/apps/sub-ca/src/main.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const KEPT_LINES = 60;

export interface TlsSubCaOptions {
  pki: CalibrationPki;
  dataDir: string;
  databaseUrl: string;
  hsmWorkers: number;
  /** Keep the port of an earlier start (a restart after a kill). */
  port?: number;
  /** More SMPKI_* settings. */
  env?: NodeJS.ProcessEnv;
}

export interface TlsSubCaProcess {
  pid: number;
  port: number;
  /** https://127.0.0.1:<port> */
  baseUrl: string;
  cpuSeconds(): number;
  output(): string;
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

export async function startTlsSubCa(options: TlsSubCaOptions): Promise<TlsSubCaProcess> {
  const { pki } = options;
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
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
    SMPKI_TLS_CERT_FILE: pki.tls.certFile,
    SMPKI_TLS_KEY_FILE: pki.tls.keyFile,
    SMPKI_TLS_CLIENT_CA_FILE: pki.tls.clientCaFile,
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `https://127.0.0.1:${port}`;
  const output = () => lines.join('\n');
  const ca = readFileSync(pki.tls.caFile);
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

function readyStatus(url: string, ca: Buffer): Promise<number> {
  return new Promise((done) => {
    const request = get(url, { ca, timeout: 2000 }, (response) => {
      response.resume();
      done(response.statusCode ?? 0);
    });
    request.on('error', () => done(0));
    request.on('timeout', () => request.destroy());
  });
}

async function waitUntilReady(baseUrl: string, ca: Buffer, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    if ((await readyStatus(`${baseUrl}/readyz`, ca)) === 200) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`no 200 from /readyz within ${READY_TIMEOUT_MS / 1000} s (pid ${child.pid})`);
}

async function signal(child: ChildProcess, exited: Promise<void>, name: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(name);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks; 100 per second on Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
