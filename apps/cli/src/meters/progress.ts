/**
 * The progress of a batch run on stderr: count/total, rate per second and ETA. On a terminal one bar redrawn in
 * place (at most ten times a second); elsewhere (a log file, a CI job) a plain line every few seconds, because
 * carriage returns make a log unreadable.
 */

export interface ProgressState {
  done: number;
  total: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

const BAR_WIDTH = 30;

/** Items per second so far; 0 before the first item or the first millisecond. */
export function ratePerSecond(state: ProgressState): number {
  return state.elapsedMs > 0 ? (state.done * 1000) / state.elapsedMs : 0;
}

/** `h:mm:ss` or `m:ss`; `--:--` while the rate is unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function etaSeconds(state: ProgressState): number {
  const rate = ratePerSecond(state);
  return rate > 0 ? (state.total - state.done) / rate : Number.NaN;
}

/** `1,200/5,000 meters  24%  310.5/s  ETA 0:12` */
export function formatProgressLine(state: ProgressState): string {
  const percent = state.total > 0 ? Math.floor((state.done * 100) / state.total) : 100;
  const count = `${state.done.toLocaleString('en-US')}/${state.total.toLocaleString('en-US')} meters`;
  return `${count}  ${String(percent).padStart(3)}%  ${ratePerSecond(state).toFixed(1)}/s  ETA ${formatDuration(etaSeconds(state))}`;
}

/** `[#########---------------------] ` followed by {@link formatProgressLine}. */
export function formatProgressBar(state: ProgressState): string {
  const filled = state.total > 0 ? Math.min(BAR_WIDTH, Math.floor((state.done * BAR_WIDTH) / state.total)) : BAR_WIDTH;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${formatProgressLine(state)}`;
}

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Milliseconds between plain lines when the sink is not a terminal. */
  plainEveryMs?: number;
  now?: () => number;
}

export class ProgressReporter {
  private done = 0;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private drawnDone = -1;
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly minIntervalMs: number;

  constructor(
    private readonly total: number,
    private readonly sink: ProgressSink,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.minIntervalMs = sink.isTTY ? 100 : (options.plainEveryMs ?? 5000);
  }

  state(): ProgressState {
    return { done: this.done, total: this.total, elapsedMs: this.now() - this.startedAt };
  }

  /** Counts answered items and redraws when the interval has passed. */
  advance(items: number): void {
    this.done += items;
    const now = this.now();
    if (now - this.lastDrawn < this.minIntervalMs) return;
    this.lastDrawn = now;
    this.draw();
  }

  /** The final state, drawn unless the last line already shows it; a terminal bar is ended with a newline. */
  finish(): void {
    if (this.drawnDone !== this.done || this.sink.isTTY) this.draw();
    if (this.sink.isTTY) this.sink.write('\n');
  }

  private draw(): void {
    const state = this.state();
    this.drawnDone = state.done;
    if (this.sink.isTTY) this.sink.write(`\r${formatProgressBar(state)}\u001b[K`);
    else this.sink.write(`${formatProgressLine(state)}\n`);
  }
}
