/** `openssl speed` as the reference rate of the machine's CPU for an algorithm, parsed from its summary line. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface OpensslSpeed {
  command: string;
  signPerSecond: number;
  verifyPerSecond: number;
}

/**
 * Runs `openssl speed -seconds <seconds> [-multi <processes>] <algorithm>` (e.g. ecdsabrp256r1) and reads the
 * last line, e.g. ` 256 bits ecdsa (brainpoolP256r1)   0.0003s   0.0003s   3489.3   3819.3`.
 */
export async function opensslSpeed(algorithm: string, seconds: number, processes: number): Promise<OpensslSpeed> {
  const args = ['speed', '-seconds', String(seconds), ...(processes > 1 ? ['-multi', String(processes)] : []), algorithm];
  const { stdout } = await execFileAsync('openssl', args, { maxBuffer: 1 << 20 });
  return { command: `openssl ${args.join(' ')}`, ...parseOpensslSpeed(stdout) };
}

export function parseOpensslSpeed(output: string): { signPerSecond: number; verifyPerSecond: number } {
  const line = output
    .split('\n')
    .reverse()
    .find((candidate) => /bits ecdsa \(/.test(candidate));
  const match = line && /\)\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)\s*$/.exec(line);
  if (!match) throw new Error(`cannot read the openssl speed summary from:\n${output.slice(-500)}`);
  return { signPerSecond: Number(match[1]), verifyPerSecond: Number(match[2]) };
}
