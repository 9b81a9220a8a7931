import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CaRegistry, CrlPublisher, CrlReissueScheduler } from '@smpki/ca';

/** Runs the CRL re-issue scheduler while the service runs: a first check at start, then every minute. */
@Injectable()
export class CrlSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CrlScheduler');
  readonly scheduler: CrlReissueScheduler;

  constructor(registry: CaRegistry, crls: CrlPublisher) {
    this.scheduler = new CrlReissueScheduler(registry, crls, {
      onError: (ca, error) => this.logger.error(`CA ${ca}: the CRL could not be re-issued (${(error as Error).message}); retrying at the next run`),
    });
  }

  onApplicationBootstrap(): void {
    // Not awaited: a slow HSM must not hold up the start; failures are logged by onError.
    void this.scheduler.runOnce();
    this.scheduler.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}
