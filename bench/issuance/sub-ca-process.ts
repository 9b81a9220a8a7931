/**
 * The sub-CA service as production runs it: `node dist/apps/sub-ca/src/main.js` in its own process, configured only
 * through SMPKI_* variables. A child process rather than the app in the benchmark's process, so that the load
 * generator's event loop and the service's do not share one thread (they still share the machine's cores).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve, sep } from 'node:path';
import type { BenchPki } from './bench-pki';

/** The repository: this file runs from source (bench/issuance) or compiled (dist/bench/issuance). */
const ROOT = resolve(__dirname, __dirname.split(sep).includes('dist') ? '../../..' : '../..');
const MAIN = join(ROOT, 'dist/apps/sub-ca/src/main.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Lines of the service's output kept for error messages. */
const KEPT_LINES = 40;

export interface SubCaProcessOptions {
  pki: BenchPki;
  dataDir: string;
  /** SMPKI_DB_URL: postgres://... or sqlite:<file>. */
  databaseUrl: string;
  hsmWorkers: number;
  /** Write a V8 CPU profile of the service into this directory (`--cpu-prof`). */
  cpuProfileDir?: string;
}

export interface SubCaProcess {
  pid: number;
  baseUrl: string;
  /** CPU seconds (user + system) the service and its HSM worker threads have used so far (Linux /proc). */
  cpuSeconds(): number;
  /** The last lines the service wrote (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after a grace period). */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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
  const { pki } = options;
  const port = await freePort();
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
  };
  const nodeOptions = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...nodeOptions, MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = () => lines.join('\n');
  try {
    await waitUntilReady(baseUrl, child, exited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the sub-CA service did not become ready: ${(error as Error).message}\n--- service output ---\n${output()}`);
  }
  return {
    pid: child.pid!,
    baseUrl,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    output,
    stop: () => stop(child, exited),
  };
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
    try {
      const answer = await fetch(`${baseUrl}/readyz`);
      if (answer.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`no 200 from /readyz within ${READY_TIMEOUT_MS / 1000} s (pid ${child.pid})`);
}

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
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
