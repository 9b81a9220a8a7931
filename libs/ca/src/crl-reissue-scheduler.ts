/**
 * Keeps every CA's full CRL fresh: every `intervalMs` each CA whose CRL is within its `crlReissueMarginMinutes`
 * of nextUpdate gets a new one, so relying parties never hold an expired CRL while the service runs. A failure
 * for one CA (HSM busy, database down) is reported and retried at the next run; it does not stop the others.
 */
import type { CaRegistry } from './ca-registry';
import type { CaCrl } from './entities';
import type { CrlPublisher } from './crl-publisher';

export const DEFAULT_CRL_CHECK_INTERVAL_MS = 60_000;

export interface CrlReissueSchedulerOptions {
  /** Time between checks (default one minute). */
  intervalMs?: number;
  /** Told about each CA whose CRL could not be re-issued at a run. */
  onError?: (ca: string, error: unknown) => void;
}

export class CrlReissueScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly registry: CaRegistry,
    private readonly crls: CrlPublisher,
    private readonly options: CrlReissueSchedulerOptions = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs ?? DEFAULT_CRL_CHECK_INTERVAL_MS);
    // The scheduler alone must not keep the process alive (stop() is still called at shutdown).
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress, so shutdown does not close the database under it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One check of every CA; returns the CRLs it issued. Runs do not overlap. */
  runOnce(): Promise<CaCrl[]> {
    const run = this.running.then(() => this.reissueDue());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async reissueDue(): Promise<CaCrl[]> {
    const issued: CaCrl[] = [];
    for (const ca of this.registry.list()) {
      try {
        const crl = await this.crls.reissueIfDue(ca.name);
        if (crl) issued.push(crl);
      } catch (error) {
        this.options.onError?.(ca.name, error);
      }
    }
    return issued;
  }
}
