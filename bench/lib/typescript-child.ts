/**
 * Runs a benchmark's TypeScript child process through the repository's hooks and returns the JSON of its last
 * stdout line. Benchmarks measure in a child so that its peak memory is the measured work's alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const HOOKS = join(ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');

/**
 * The compiled script in dist/ when the build is at least as new as the source: measured the way the services run
 * (compiled), without the ~100 MB the TypeScript hooks add to the child's memory. Else the source through the hooks.
 */
function childCommand(script: string): string[] {
  if (!existsSync(script)) return [script.replace(/\.ts$/, '.js')]; // the bench itself runs compiled
  const compiled = join(ROOT, 'dist', relative(ROOT, script)).replace(/\.ts$/, '.js');
  if (existsSync(compiled) && statSync(compiled).mtimeMs >= statSync(script).mtimeMs) return [compiled];
  return ['--require', HOOKS, script];
}

export function runTypescriptChild<T>(script: string, args: readonly string[], what: string): T {
  const result = spawnSync(process.execPath, [...childCommand(script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as T;
}
