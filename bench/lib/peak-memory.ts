/**
 * Time and memory of one piece of work in a benchmark child process: wall time, the process's peak RSS
 * (getrusage maxRSS: the whole process's life, so children run alone) and a 10 ms sampled peak during the work.
 */
const MB = 1024 * 1024;

export interface MeasuredRun<T> {
  value: T;
  seconds: number;
  /** Peak RSS of the process so far (includes start-up: Node, native modules, workers). */
  maxRssMb: number;
  /** Highest RSS seen every 10 ms while the work ran. */
  sampledPeakRssMb: number;
  /** RSS just before the work started. */
  rssBeforeMb: number;
}

export async function measureRun<T>(work: () => Promise<T>): Promise<MeasuredRun<T>> {
  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 10);
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - start) / 1000;
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
    return { value, seconds, maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB, sampledPeakRssMb: sampledPeak / MB, rssBeforeMb: rssBefore / MB };
  } finally {
    clearInterval(sampler);
  }
}
