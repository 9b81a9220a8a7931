/** Runs the openssl CLI (the independent oracle for what we encode) in a temporary directory. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OpensslResult {
  status: number | null;
  /** stdout and stderr together (openssl writes verification results to both). */
  output: string;
}

export class OpensslWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'smpki-openssl-'));

  /** Writes a file into the workspace and returns its path. */
  write(name: string, content: string | Uint8Array): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  run(args: readonly string[], input?: string | Uint8Array): OpensslResult {
    const result = spawnSync('openssl', args, { cwd: this.dir, input, encoding: 'utf8', timeout: 60_000 });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  /** Runs and returns stdout as bytes (e.g. DER output), failing with openssl's message on a non-zero exit. */
  runBinary(args: readonly string[]): Buffer {
    const result = spawnSync('openssl', args, { cwd: this.dir, timeout: 60_000 });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr.toString()}`);
    return result.stdout;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
