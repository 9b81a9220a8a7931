/**
 * The publisher's LISTEN connection on PostgreSQL: a dedicated `pg` client (not one of the pool's, which TypeORM
 * hands out per query) listening on `smpki_publication`, so a row enqueued and committed by any replica wakes the
 * publishers at once instead of at their next poll. A lost connection is re-opened with backoff; meanwhile the
 * idle poll still finds the rows, so a listener that is down delays publication, never loses it.
 */
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { PUBLICATION_CHANNEL } from '../publication';
import { DEFAULT_BACKOFF, retryDelayMs } from './retry-delay';

/** The connection settings of the DataSource (url or host/port/user/password/database), for one more client. */
function clientConfig(dataSource: DataSource): ClientConfig {
  const options = dataSource.options as { url?: string; host?: string; port?: number; username?: string; password?: string; database?: string; ssl?: ClientConfig['ssl'] };
  const config: ClientConfig = { application_name: 'smpki-publication-listener' };
  if (options.url) config.connectionString = options.url;
  if (options.host) config.host = options.host;
  if (options.port) config.port = options.port;
  if (options.username) config.user = options.username;
  if (options.password) config.password = options.password;
  if (options.database) config.database = options.database;
  if (options.ssl) config.ssl = options.ssl;
  return config;
}

export class PublicationListener {
  private client: Client | undefined;
  private stopped = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly given = new WeakSet<Client>();

  /** `onNotify` runs for every notification and after every (re)connect (rows may have come meanwhile). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly onNotify: () => void,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** True while LISTEN is in place (tests, status). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client(clientConfig(this.dataSource));
    // Without a listener, an error on an idle client would be an uncaught exception.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel === PUBLICATION_CHANNEL) this.onNotify();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PUBLICATION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.onNotify();
  }

  private lost(client: Client, error: Error): void {
    // A broken client reports both `error` and `end`: one reconnect per client.
    if (this.stopped || this.given.has(client)) return;
    this.given.add(client);
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.failures += 1;
    this.onError(error);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), retryDelayMs(this.failures, DEFAULT_BACKOFF));
  }
}
