/** A compiled service main run as its own process, as an operator would run it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface ServiceProcess {
  child: ChildProcess;
  stdoutLines(): string[];
  stderr(): string;
  /** Resolves with the first stdout JSON line for which `match` is true. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment without the parent's SMPKI_* settings, so a developer's shell cannot change what a test sees. */
function cleanEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SMPKI_') && name !== 'NODE_OPTIONS'));
  return { ...base, ...env };
}

export function startServiceProcess(main: string, env: Record<string, string>, cwd: string): ServiceProcess {
  const child = spawn(process.execPath, [main], { cwd, env: cleanEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    waiters.forEach((wake) => wake());
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      waiters.forEach((wake) => wake());
      resolve({ code, signal });
    });
  });
  const stdoutLines = (): string[] => stdout.split('\n').filter((line) => line !== '');

  const waitForLog = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
      const check = (): void => {
        for (const line of stdoutLines()) {
          try {
            const parsed = JSON.parse(line) as Record<string, unknown>;
            if (match(parsed)) {
              clearTimeout(timer);
              resolve(parsed);
              return;
            }
          } catch {
            // not JSON: the test that reads all lines reports it
          }
        }
        if (child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`process exited ${child.exitCode} first; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      };
      waiters.push(check);
      check();
    });

  return { child, stdoutLines, stderr: () => stderr, waitForLog, exited };
}

/** A port that was free a moment ago (the service's port setting must be 1-65535, so 0 cannot be passed). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
