/**
 * The publisher's peer in the publication tests: a tiny HTTP server that answers `POST /v1/directory/entries`
 * and records what it acknowledged. It is the other end of the wire, not a stand-in for the code under test; it
 * can answer 503 or stop accepting connections to play a directory that is down.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DirectoryEntry } from '@smpki/ca';

export interface RecordedRequest {
  authorization: string | undefined;
  entries: DirectoryEntry[];
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class RecordingDirectory {
  /** Requests answered 200, in arrival order. */
  readonly acknowledged: RecordedRequest[] = [];
  /** Requests answered with `failWith`. */
  refused = 0;
  failWith: number | undefined;
  /** Requests with more entries are answered 413, like a body over the directory's limit. */
  maxEntries: number | undefined;
  private port = 0;

  private constructor(private server: Server) {}

  static async start(): Promise<RecordingDirectory> {
    const directory = new RecordingDirectory(createServer());
    await directory.listen();
    return directory;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every acknowledged entry, in order. */
  entries(): DirectoryEntry[] {
    return this.acknowledged.flatMap((request) => request.entries);
  }

  /** Closes the listening socket: connections are refused until acceptConnections(). */
  async refuseConnections(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async acceptConnections(): Promise<void> {
    this.server = createServer();
    await this.listen();
  }

  stop(): Promise<void> {
    return this.refuseConnections();
  }

  private async listen(): Promise<void> {
    this.server.on('request', (request, response) => {
      void readBody(request).then((body) => {
        if (request.method !== 'POST' || request.url !== '/v1/directory/entries') {
          response.writeHead(404).end();
          return;
        }
        if (this.failWith !== undefined) {
          this.refused += 1;
          response.writeHead(this.failWith, { 'content-type': 'application/problem+json' }).end('{"title":"unavailable"}');
          return;
        }
        const entries = (JSON.parse(body) as { entries: DirectoryEntry[] }).entries;
        if (this.maxEntries !== undefined && entries.length > this.maxEntries) {
          this.refused += 1;
          response.writeHead(413, { 'content-type': 'application/problem+json' }).end('{"title":"Payload Too Large"}');
          return;
        }
        this.acknowledged.push({ authorization: request.headers.authorization, entries });
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied: entries.length }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
}

/** Resolves once `condition` holds, checking every 20 ms; fails after `limitMs` (a hang guard, not a timing assertion). */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
