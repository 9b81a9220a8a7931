/** The publication lag as Prometheus metrics (docs/DIRECTORY.md), read from the outbox at scrape time. */
import type { OutboxPublisher, PublicationStatus } from '@smpki/ca';
import type { MetricsRegistry } from '@smpki/platform';

export interface PublicationMetricsSource {
  readonly publisher: OutboxPublisher | undefined;
  status(): Promise<PublicationStatus>;
}

export function registerPublicationMetrics(metrics: MetricsRegistry, source: PublicationMetricsSource): void {
  metrics.gauge({
    name: 'smpki_publication_pending_rows',
    help: 'Publication outbox rows not yet acknowledged by every directory target.',
    read: async () => (await source.status()).pending,
  });
  metrics.gauge({
    name: 'smpki_publication_oldest_pending_age_seconds',
    help: 'Age of the oldest unacknowledged outbox row (0 when nothing is pending): the publication lag.',
    read: async () => (await source.status()).oldestPendingAgeSeconds,
  });
  metrics.counter({
    name: 'smpki_publication_failures_total',
    help: 'Failed publication attempts of this process (each is retried with backoff).',
    read: () => source.publisher?.totals().failures ?? 0,
  });
  metrics.counter({
    name: 'smpki_publication_published_rows_total',
    help: 'Outbox rows this process published (acknowledged by every target).',
    read: () => source.publisher?.totals().publishedRows ?? 0,
  });
}
