/**
 * bench/hsm: the raw rates of the PKCS#11 key manager on a temporary SoftHSM2 token, next to `openssl speed`.
 * Run: `bash bench/hsm/run.sh` (compiles to dist/ and runs `node dist/bench/hsm/main.js`).
 * Options: --seconds <n> (default 3), --workers <n> (default: cores), --rounds <n> (default 2), --check (exit 1
 * when brainpoolP256r1 signing with all workers is below 85% of openssl speed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureHsmBaseline, type HsmBaseline } from '../lib/hsm-baseline';
import { formatRate, formatTable } from '../lib/table';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

function numberOption(name: string): number | undefined {
  const value = option(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} needs a positive number (got '${value}')`);
  return parsed;
}

function report(baseline: HsmBaseline): string {
  const rows = Object.values(baseline.rates).map((rate) => [rate.label, formatRate(rate.perSecond), String(rate.operations)]);
  rows.push([`openssl speed -multi ${baseline.workers} ecdsabrp256r1 (sign)`, formatRate(baseline.openssl.signPerSecond), '']);
  rows.push([`openssl speed -multi ${baseline.workers} ecdsabrp256r1 (verify)`, formatRate(baseline.openssl.verifyPerSecond), '']);
  const share = (baseline.bp256ShareOfOpenssl * 100).toFixed(1);
  const verdict = baseline.meetsRequirement ? 'meets' : 'BELOW';
  return [
    `bench/hsm on ${baseline.machine.cores} cores (${baseline.machine.cpu}), Node ${baseline.machine.node}, ${baseline.durationMs / 1000} s per figure`,
    '',
    formatTable(['operation', 'rate', 'operations'], rows),
    '',
    `bp256 sign ${baseline.workers} workers / openssl speed: ${share}% (${verdict} the required ${baseline.requiredShare * 100}%)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const seconds = numberOption('seconds') ?? 3;
  const workers = numberOption('workers');
  const rounds = numberOption('rounds');
  const baseline = await measureHsmBaseline({
    durationMs: seconds * 1000,
    ...(workers !== undefined && { workers }),
    ...(rounds !== undefined && { rounds }),
    log: (line) => console.error(`[bench/hsm] ${line}`),
  });
  console.log(report(baseline));
  const resultsDir = join(process.cwd(), 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'hsm.json'), `${JSON.stringify(baseline, null, 2)}\n`);
  console.error(`[bench/hsm] wrote ${join(resultsDir, 'hsm.json')}`);
  if (process.argv.includes('--check') && !baseline.meetsRequirement) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
