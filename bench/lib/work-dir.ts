/** The temporary directory a benchmark works in, and the result file it leaves in bench/results. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `body` in a fresh temporary directory, removed afterwards unless `keep` (then its path is logged). */
export async function inWorkDir<T>(prefix: string, keep: boolean, log: (line: string) => void, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    if (keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes bench/results/<name>.json (below the working directory: the repository when run by scripts/bench.sh). */
export function writeResultFile(name: string, result: object, log: (line: string) => void): void {
  const resultsDir = join(process.cwd(), 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${file}`);
}
