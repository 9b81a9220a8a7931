import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TokenService } from '@smpki/auth';
import { FanOutDirectoryClient, HttpDirectoryClient, LdapDirectoryClient, OutboxPublisher, outboxLag, type NamedDirectoryClient, type PublicationStatus } from '@smpki/ca';
import { DATA_SOURCE, MetricsRegistry } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import type { DirectorySettings } from './directory-settings';
import { registerPublicationMetrics } from './publication-metrics';
import { publisherTokenSource } from './publisher-token';

export const DIRECTORY_SETTINGS = Symbol('DIRECTORY_SETTINGS');

/** The configured targets: the platform directory (SMPKI_DIRECTORY_URL) and/or an external LDAP server. */
function publicationTargets(settings: DirectorySettings, tokens: TokenService): NamedDirectoryClient[] {
  const targets: NamedDirectoryClient[] = [];
  if (settings.url) targets.push({ name: 'directory', client: new HttpDirectoryClient({ url: settings.url, token: publisherTokenSource(tokens) }) });
  if (settings.externalLdap) targets.push({ name: 'external-ldap', client: new LdapDirectoryClient(settings.externalLdap) });
  return targets;
}

/**
 * Runs the outbox publisher while the service runs, when a target is configured (SMPKI_DIRECTORY_URL,
 * SMPKI_EXTERNAL_LDAP_URL): a row is marked published once every target acknowledged it. Registers the
 * publication metrics either way (without a target, everything stays pending and the lag shows it).
 */
@Injectable()
export class PublicationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DirectoryPublisher');
  readonly publisher: OutboxPublisher | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DIRECTORY_SETTINGS) settings: DirectorySettings | null,
    tokens: TokenService,
    metrics: MetricsRegistry,
  ) {
    const targets = settings ? publicationTargets(settings, tokens) : [];
    if (targets.length > 0) {
      this.publisher = new OutboxPublisher(dataSource, FanOutDirectoryClient.of(targets), {
        // Logged at the first failure and then at every tenth, so a long outage does not flood the log.
        onError: (error, failures) => {
          if (failures === 1 || failures % 10 === 0) this.logger.warn(`directory publication failed ${failures} time(s), retrying: ${error.message}`);
        },
        onListenError: (error) => this.logger.warn(`publication LISTEN connection lost, reconnecting (polling meanwhile): ${error.message}`),
      });
    }
    registerPublicationMetrics(metrics, this);
  }

  onApplicationBootstrap(): void {
    this.publisher?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }

  /** The outbox lag; also without a target configured, where everything stays pending. */
  status(): Promise<PublicationStatus> {
    return this.publisher ? this.publisher.status() : outboxLag(this.dataSource);
  }
}
