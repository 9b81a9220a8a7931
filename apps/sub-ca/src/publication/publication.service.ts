import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TokenService } from '@smpki/auth';
import { HttpDirectoryClient, OutboxPublisher, outboxLag, type PublicationStatus } from '@smpki/ca';
import { DATA_SOURCE } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import type { DirectorySettings } from './directory-settings';
import { publisherTokenSource } from './publisher-token';

export const DIRECTORY_SETTINGS = Symbol('DIRECTORY_SETTINGS');

/** Runs the outbox publisher while the service runs, when a directory is configured (SMPKI_DIRECTORY_URL). */
@Injectable()
export class PublicationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DirectoryPublisher');
  readonly publisher: OutboxPublisher | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DIRECTORY_SETTINGS) settings: DirectorySettings | null,
    tokens: TokenService,
  ) {
    if (!settings) return;
    const client = new HttpDirectoryClient({ url: settings.url, token: publisherTokenSource(tokens) });
    this.publisher = new OutboxPublisher(dataSource, client, {
      // Logged at the first failure and then at every tenth, so a long outage does not flood the log.
      onError: (error, failures) => {
        if (failures === 1 || failures % 10 === 0) this.logger.warn(`directory publication failed ${failures} time(s), retrying: ${error.message}`);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.publisher?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }

  /** The outbox lag; also without a directory configured, where everything stays pending. */
  status(): Promise<PublicationStatus> {
    return this.publisher ? this.publisher.status() : outboxLag(this.dataSource);
  }
}
