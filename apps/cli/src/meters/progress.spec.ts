import { formatDuration, formatProgressBar, formatProgressLine, ProgressReporter } from './progress';

describe('progress', () => {
  it('formats count, percentage, rate and ETA', () => {
    expect(formatProgressLine({ done: 1200, total: 5000, elapsedMs: 4000 })).toBe('1,200/5,000 meters   24%  300.0/s  ETA 0:13');
  });

  it('shows an unknown ETA before the first answer', () => {
    expect(formatProgressLine({ done: 0, total: 10, elapsedMs: 0 })).toBe('0/10 meters    0%  0.0/s  ETA --:--');
  });

  it('draws a bar proportional to the share done', () => {
    expect(formatProgressBar({ done: 50, total: 100, elapsedMs: 1000 })).toMatch(/^\[#{15}-{15}\] 50\/100 meters/);
    expect(formatProgressBar({ done: 0, total: 0, elapsedMs: 1 })).toMatch(/^\[#{30}\] 0\/0 meters  100%/);
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(59.6)).toBe('1:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });

  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const progress = new ProgressReporter(10, { isTTY: true, write: (text) => written.push(text) }, { now: () => now });
    now = 1000;
    progress.advance(5);
    now = 1050; // within 100 ms: not redrawn
    progress.advance(1);
    progress.finish();
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\r\[#{15}-{15}\] 5\/10 meters/);
    expect(written[1]).toMatch(/^\r.* 6\/10 meters/);
    expect(written[2]).toBe('\n');
  });

  it('writes plain lines at the given interval when stderr is not a terminal', () => {
    const written: string[] = [];
    let now = 0;
    const progress = new ProgressReporter(100, { isTTY: false, write: (text) => written.push(text) }, { now: () => now, plainEveryMs: 5000 });
    for (let second = 1; second <= 10; second++) {
      now = second * 1000;
      progress.advance(10);
    }
    progress.finish();
    expect(written).toEqual(['10/100 meters   10%  10.0/s  ETA 0:09\n', '60/100 meters   60%  10.0/s  ETA 0:04\n', '100/100 meters  100%  10.0/s  ETA 0:00\n']);
  });
});
