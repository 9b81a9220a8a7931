import { retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  const options = { initialMs: 500, maxMs: 30_000 };

  it('doubles with every failure and stays within [half, whole] of the step', () => {
    expect([1, 2, 3, 4].map((failures) => retryDelayMs(failures, options, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((failures) => retryDelayMs(failures, options, () => 0))).toEqual([250, 500, 1000, 2000]);
  });

  it('is capped however long the directory stays down', () => {
    expect(retryDelayMs(10_000, options, () => 1)).toBe(30_000);
    expect(retryDelayMs(10_000, options, () => 0)).toBe(15_000);
  });
});
