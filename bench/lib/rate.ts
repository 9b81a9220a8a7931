/** Closed-loop throughput: `concurrency` callers each awaiting one operation after another for a fixed time. */
import { performance } from 'node:perf_hooks';

export interface Rate {
  operations: number;
  seconds: number;
  perSecond: number;
}

export interface RateOptions {
  durationMs: number;
  concurrency: number;
  /** Run this long first without counting (JIT, caches, session copies). */
  warmupMs?: number;
}

async function runFor(operation: () => Promise<unknown>, durationMs: number, concurrency: number): Promise<Rate> {
  let operations = 0;
  const start = performance.now();
  const end = start + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      await operation();
      operations++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - start) / 1000;
  return { operations, seconds, perSecond: operations / seconds };
}

export async function measureRate(operation: () => Promise<unknown>, options: RateOptions): Promise<Rate> {
  if (options.warmupMs) await runFor(operation, options.warmupMs, options.concurrency);
  return runFor(operation, options.durationMs, options.concurrency);
}
