/** Runs a TypeScript entry point of the repository in a child Node process (see typescript-hooks.cjs). */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '../../..');
export const TYPESCRIPT_HOOKS = join(REPOSITORY_ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `node --require typescript-hooks.cjs <script> ...args`, with the Node running the tests (24). */
export function runTypescript(script: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', TYPESCRIPT_HOOKS, join(REPOSITORY_ROOT, script), ...args], {
      cwd: REPOSITORY_ROOT,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 60000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The synchronous variant, for decisions jest needs while it collects tests. */
export function runTypescriptSync(code: string, timeoutMs = 20000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--require', TYPESCRIPT_HOOKS, '-e', code], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}
