/**
 * A 200 application/x-ndjson answer written while the request is still being read. The headers go with the first
 * write, so a failure before it is still answered as a problem document by the platform's filter. Each write waits
 * for the socket to drain (backpressure on the answer as on the body) and fails once the client is gone.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { ProblemException } from '@smpki/platform';
import type { StreamAnswer } from './meter-stream-registration';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** 415 for a body that is not NDJSON: the stream endpoint reads nothing else. */
export function requireNdjson(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === NDJSON_CONTENT_TYPE) return;
  const message = `the body must be ${NDJSON_CONTENT_TYPE}: one meter item (JSON object) per line (got "${mediaType || 'none'}")`;
  throw new ProblemException({ status: 415, detail: message, errors: [{ field: 'content-type', rule: 'stream.content-type', message }] });
}

export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
  }
}

export class NdjsonAnswer implements StreamAnswer {
  constructor(private readonly response: ServerResponse) {}

  get started(): boolean {
    return this.response.headersSent;
  }

  async write(text: string): Promise<void> {
    if (this.response.destroyed) throw new ClientGoneError();
    if (!this.response.headersSent) this.response.writeHead(200, { 'Content-Type': `${NDJSON_CONTENT_TYPE}; charset=utf-8`, 'Cache-Control': 'no-store' });
    if (this.response.write(text)) return;
    await Promise.race([once(this.response, 'drain'), once(this.response, 'close')]);
    if (this.response.destroyed) throw new ClientGoneError();
  }

  end(): void {
    this.response.end();
  }

  /** Ends a started answer early: the missing summary line tells the client the stream is incomplete. */
  abort(): void {
    this.response.destroy();
  }
}
