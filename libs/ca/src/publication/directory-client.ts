/** Where the publisher sends entries: the directory's ingest API (docs/DIRECTORY.md). */
import type { DirectoryEntry } from './directory-entry';

export interface DirectoryClient {
  /** Resolves once the directory acknowledged every entry (2xx); rejects otherwise, nothing assumed applied. */
  publish(entries: readonly DirectoryEntry[]): Promise<void>;
}

/** The directory answered, but not with 2xx (or could not be reached: status undefined). */
export class DirectoryUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DirectoryUnavailableError';
  }
}

export interface HttpDirectoryClientOptions {
  /** Base URL of the directory service (`http://127.0.0.1:8440`). */
  url: string;
  /** A current bearer token (role `publisher`); called for every request, so it may renew. */
  token: () => Promise<string>;
  /** A request taking longer is abandoned (default 10 s): a PostgreSQL claim is held while it runs. */
  timeoutMs?: number;
}

export const DIRECTORY_ENTRIES_PATH = '/v1/directory/entries';

/** `POST /v1/directory/entries` with fetch and a bearer token. Errors name the status, never the token. */
export class HttpDirectoryClient implements DirectoryClient {
  private readonly endpoint: string;

  constructor(private readonly options: HttpDirectoryClientOptions) {
    this.endpoint = new URL(DIRECTORY_ENTRIES_PATH, options.url).toString();
  }

  async publish(entries: readonly DirectoryEntry[]): Promise<void> {
    const token = await this.options.token();
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ entries }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new DirectoryUnavailableError(`directory ${this.endpoint} not reachable (${cause})`);
    }
    // Drained either way so the connection can be reused.
    const body = await response.text().catch(() => '');
    if (!response.ok) throw new DirectoryUnavailableError(`directory ${this.endpoint} answered ${response.status} ${body.slice(0, 200)}`.trim(), response.status);
  }
}
