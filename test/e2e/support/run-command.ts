/** Runs a command as a user would in a terminal, and keeps what it printed, its exit status and how long it took. */
import { spawn } from 'node:child_process';

export interface CommandResult {
  command: string;
  /** Exit status; null when the command was killed (then `signal` says by what). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed with SIGKILL after this long, so a hung command fails its test instead of the whole run. */
  timeoutMs: number;
}

export function runCommand(executable: string, args: string[], options: RunCommandOptions): Promise<CommandResult> {
  const command = [executable, ...args].join(' ');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}
