/**
 * Drains the publication outbox into the directory (docs/DIRECTORY.md): first the CAs' own certificates, then
 * the unpublished rows oldest first, a chunk at a time. A row is marked published only after the directory
 * acknowledged it; while the directory fails, the same chunk is retried with exponential backoff and jitter, so
 * nothing is lost and rows are delivered in order.
 */
import { databaseDialect } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { CaAuthority } from '../entities';
import { DirectoryUnavailableError, type DirectoryClient } from './directory-client';
import { caEntry } from './directory-entries';
import { MAX_DIRECTORY_BATCH } from './directory-entry';
import { publishOldestChunk } from './outbox-claim';
import { PublicationListener } from './publication-listener';
import { outboxLag, type PublicationStatus } from './publication-status';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffOptions } from './retry-delay';

export interface OutboxPublisherOptions {
  /** Rows per request (default 100, at most the ingest limit of 1,000). */
  chunkSize?: number;
  /**
   * Wait between polls once the outbox is empty (default 1 s). On PostgreSQL a commit that enqueued wakes the
   * publisher at once (NOTIFY, see PublicationListener), so this is only the fallback; on SQLite the wait is at
   * most SQLITE_IDLE_POLL_MS.
   */
  idlePollMs?: number;
  /** PostgreSQL: LISTEN for enqueued rows (default true). */
  listen?: boolean;
  backoff?: BackoffOptions;
  /** Told about every failed attempt (the publisher keeps retrying). */
  onError?: (error: Error, failures: number) => void;
  /** Told when the LISTEN connection is lost (it reconnects; polling goes on meanwhile). */
  onListenError?: (error: Error) => void;
}

/**
 * SQLite has one service process per database file and no NOTIFY. Rows reach the outbox by several paths (the
 * group-commit batcher inserts them with plain SQL), so an in-process signal would need a hook after every one of
 * those commits; instead the publisher polls often: the pending query reads the (published_at, created_at) index
 * of a local file, microseconds, so a 200 ms poll costs nothing measurable and bounds the idle lag.
 */
export const SQLITE_IDLE_POLL_MS = 200;

/** Totals since the publisher was created (the metrics of docs/DIRECTORY.md). */
export interface PublisherTotals {
  publishedRows: number;
  failures: number;
}

export class OutboxPublisher {
  private readonly chunkSize: number;
  /** The chunk actually sent: halved while the directory refuses a chunk as too large (413), grown back after. */
  private currentChunk: number;
  private readonly idlePollMs: number;
  private readonly backoff: BackoffOptions;
  private running: Promise<void> | undefined;
  private stopping = false;
  private authoritiesPublished = false;
  private failures = 0;
  private lastError: string | undefined;
  private wakeSleeper: (() => void) | undefined;
  private listener: PublicationListener | undefined;
  private wakeRequested = false;
  private readonly counted: PublisherTotals = { publishedRows: 0, failures: 0 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: DirectoryClient,
    private readonly options: OutboxPublisherOptions = {},
  ) {
    this.chunkSize = Math.min(Math.max(options.chunkSize ?? 100, 1), MAX_DIRECTORY_BATCH);
    this.currentChunk = this.chunkSize;
    const idlePollMs = options.idlePollMs ?? 1000;
    this.idlePollMs = databaseDialect(dataSource) !== 'postgres' ? Math.min(idlePollMs, SQLITE_IDLE_POLL_MS) : idlePollMs;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Starts draining in the background until stop(). */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    if (databaseDialect(this.dataSource) === 'postgres' && this.options.listen !== false) {
      this.listener = new PublicationListener(this.dataSource, () => this.rowEnqueued(), (error) => this.options.onListenError?.(error));
      this.listener.start();
    }
    this.running = this.loop();
  }

  /** Stops after the attempt under way (a chunk in flight is either acknowledged and marked, or stays pending). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleeper?.();
    await this.listener?.stop();
    this.listener = undefined;
    await this.running;
    this.running = undefined;
  }

  /** Ends the current wait: something was just enqueued, or the directory is known to be back. */
  wake(): void {
    // A wake during an attempt must not be lost: the attempt may have read the outbox before the row committed.
    if (this.wakeSleeper) this.wakeSleeper();
    else this.wakeRequested = true;
  }

  /** A new row: ends an idle wait, but not a backoff (a failing target is not retried at the rate rows arrive). */
  private rowEnqueued(): void {
    if (this.failures === 0) this.wake();
  }

  /** Publishes every CA's own certificate (kind `ca`), so its CRLs and end entities have a parent entry. */
  async publishAuthorities(): Promise<void> {
    const authorities = await this.dataSource.getRepository(CaAuthority).find({ order: { name: 'ASC' } });
    if (authorities.length > 0) await this.client.publish(authorities.map(caEntry));
    this.authoritiesPublished = true;
  }

  /** One attempt: the CA entries if still due, then one chunk. Resolves to the rows published; throws on failure. */
  async publishOnce(): Promise<number> {
    if (!this.authoritiesPublished) await this.publishAuthorities();
    let published: number;
    try {
      published = await publishOldestChunk(this.dataSource, this.client, this.currentChunk);
    } catch (error) {
      // Large certificates or a big CRL can make a chunk exceed the directory's body limit: send fewer rows next
      // time rather than the same chunk forever. A single row refused as too large stays failing (and visible).
      if (error instanceof DirectoryUnavailableError && error.status === 413) this.currentChunk = Math.max(1, Math.floor(this.currentChunk / 2));
      throw error;
    }
    this.currentChunk = Math.min(this.chunkSize, this.currentChunk * 2);
    this.counted.publishedRows += published;
    return published;
  }

  /** Publishes until the outbox is empty (tests, tools); throws on the first failure. */
  async drain(): Promise<number> {
    let total = 0;
    for (let published = await this.publishOnce(); published > 0; published = await this.publishOnce()) total += published;
    return total;
  }

  /** Rows published and attempts failed since creation (counters: they only grow). */
  totals(): PublisherTotals {
    return { ...this.counted };
  }

  /** True while the PostgreSQL LISTEN connection is in place. */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  /** Pending rows, the age of the oldest, and the last error while failing. */
  async status(): Promise<PublicationStatus> {
    const lag = await outboxLag(this.dataSource);
    return this.lastError !== undefined ? { ...lag, lastError: this.lastError } : lag;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const published = await this.attempt();
      if (published === undefined) await this.sleep(retryDelayMs(this.failures, this.backoff));
      // A full chunk means more may be waiting: go on at once.
      else if (published < this.currentChunk) await this.sleep(this.idlePollMs);
    }
  }

  /** Rows published, or undefined when the attempt failed. */
  private async attempt(): Promise<number | undefined> {
    try {
      const published = await this.publishOnce();
      this.failures = 0;
      this.lastError = undefined;
      return published;
    } catch (error) {
      this.failures += 1;
      this.counted.failures += 1;
      this.lastError = (error as Error).message;
      this.options.onError?.(error as Error, this.failures);
      return undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.wakeRequested && this.failures === 0) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wakeSleeper = undefined;
        resolve();
      }
      this.wakeSleeper = done;
    });
  }
}
