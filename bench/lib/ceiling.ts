/**
 * The ceiling a service benchmark is measured against: each certificate costs one signature verification (the
 * request's proof of possession) and one HSM signature, so at most half the raw bp256 signing rate with all workers.
 */
import { measureHsmBaseline, type HsmBaseline } from './hsm-baseline';
import { formatRate } from './table';

/** The raw HSM rates, one round of `seconds` per figure, measured in the same run as the benchmark. */
export function measureCeilingBaseline(seconds: number, log: (line: string) => void): Promise<HsmBaseline> {
  log(`measuring the raw HSM rates (${seconds} s per figure)`);
  return measureHsmBaseline({ durationMs: seconds * 1000, rounds: 1, log: (line) => log(`hsm: ${line}`) });
}

export function signCeiling(baseline: HsmBaseline): number {
  return baseline.rates.bp256SignAllWorkers.perSecond / 2;
}

/** The report rows the ceiling comes from, and the ceiling. */
export function ceilingRows(baseline: HsmBaseline): string[][] {
  return [
    [`raw brainpoolP256r1 sign, ${baseline.workers} workers (bench/hsm)`, formatRate(baseline.rates.bp256SignAllWorkers.perSecond)],
    ['raw brainpoolP256r1 verify (node:crypto)', formatRate(baseline.rates.bp256Verify.perSecond)],
    [`openssl speed -multi ${baseline.workers} ecdsabrp256r1 sign`, formatRate(baseline.openssl.signPerSecond)],
    ['ceiling = raw sign / 2 (1 verify + 1 sign each)', formatRate(signCeiling(baseline))],
  ];
}
