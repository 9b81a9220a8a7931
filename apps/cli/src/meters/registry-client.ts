/**
 * The HTTP client of the production line: POST /v1/meters/batch (or /v1/meters/stream) over HTTPS with a client certificate (mutual TLS),
 * or a bearer token, or plain HTTP for development. One keep-alive agent, so each connection does its TLS handshake
 * once. Network errors, timeouts, 429 and 5xx are retried with exponential backoff: the API is idempotent (a meter
 * certified with the same key answers `existing`), so sending a chunk again after a lost answer is safe.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVER_TLS_GROUPS } from '@smpki/platform';
import type { MeterItem } from './batch-file';

export interface IssuedCertificate {
  serial: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  certificate: string;
}

export interface BatchItemResult {
  index: number;
  meterId: string;
  status: 'issued' | 'existing' | 'refused' | 'failed';
  certificate?: IssuedCertificate;
  problem?: { status?: number; title?: string; detail?: string; errors?: Array<{ field?: string; rule?: string; message?: string }> };
}

export interface BatchAnswer {
  issued: number;
  existing: number;
  refused: number;
  failed: number;
  chain: string[];
  items: BatchItemResult[];
}

/** The last line of a stream's answer: the counts and the chain of its certificates. */
export interface StreamEnd {
  summary: { issued: number; existing: number; refused: number; failed: number };
  chain: string[];
}

export interface RegistryClientOptions {
  url: string;
  /** PEM files: client certificate and its key (mutual TLS), CA bundle that verifies the server. */
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  /** The name the server certificate must carry, when it differs from the URL's host (e.g. an IP address). */
  serverName?: string;
  token?: string;
  maxSockets: number;
  timeoutMs: number;
  retries: number;
  /** First backoff delay; doubled per attempt, at most 30 s. */
  backoffMs?: number;
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
}

/** An answer that sending again will not change (4xx other than 429): the run stops with its problem. */
export class RequestRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the server refused the batch with ${status}: ${summarizeProblem(body)}`);
  }
}

/** Network errors, timeouts, 429 and 5xx: worth another attempt. */
export class TransientError extends Error {}

const MAX_BACKOFF_MS = 30_000;

function summarizeProblem(body: string): string {
  try {
    const problem = JSON.parse(body) as BatchItemResult['problem'] & { type?: string };
    const errors = (problem?.errors ?? []).map((error) => `${error.field ?? ''} ${error.rule ?? ''}: ${error.message ?? ''}`.trim());
    return [problem?.title, problem?.detail, ...errors].filter(Boolean).join('; ') || body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

export class RegistryClient {
  private readonly endpoint: URL;
  private readonly streamEndpoint: URL;
  private readonly agent: HttpAgent;

  constructor(private readonly options: RegistryClientOptions) {
    this.endpoint = new URL('/v1/meters/batch', options.url);
    this.streamEndpoint = new URL('/v1/meters/stream', options.url);
    this.agent = this.endpoint.protocol === 'https:' ? new HttpsAgent(tlsAgentOptions(options)) : new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
    if (this.endpoint.protocol !== 'https:' && (options.certFile || options.keyFile)) {
      throw new Error('--cert/--key need an https:// URL');
    }
  }

  /** Sends one chunk, retrying transient failures; throws {@link RequestRefusedError} or the last transient error. */
  async registerBatch(items: readonly MeterItem[]): Promise<BatchAnswer> {
    const body = JSON.stringify({ items });
    const first = this.options.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.post(body);
      } catch (error) {
        if (!(error instanceof TransientError) || attempt >= this.options.retries) throw error;
        const delay = Math.min(MAX_BACKOFF_MS, first * 2 ** attempt);
        this.options.onRetry?.(attempt + 1, error.message, delay);
        await sleep(delay);
      }
    }
  }

  /**
   * Sends `items` as one NDJSON stream and hands each result line to `onResult` as it arrives (its `index` is the
   * item's position in `items`). No retry here: the caller knows which items were answered and streams the rest
   * again. Throws {@link RequestRefusedError} for a refused stream, {@link TransientError} when it is cut before its
   * summary line.
   */
  registerStream(items: readonly MeterItem[], onResult: (result: BatchItemResult) => void): Promise<StreamEnd> {
    const send = this.streamEndpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', accept: 'application/x-ndjson' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    return new Promise((resolve, reject) => {
      const request = send(this.streamEndpoint, { method: 'POST', agent: this.agent, headers }, (response) => {
        if (response.statusCode !== 200) return void readBody(response).then((text) => reject(refusalOf(response.statusCode ?? 0, text)), reject);
        readResultLines(response, onResult).then(resolve, (error: Error) => reject(error instanceof TransientError ? error : new TransientError(`reading the answer: ${error.message}`)));
      });
      // An idle timeout: a stream may run for long, but not silently.
      request.setTimeout(this.options.timeoutMs, () => request.destroy(new Error(`nothing sent or received for ${this.options.timeoutMs / 1000} s`)));
      request.on('error', (error: NodeJS.ErrnoException) => reject(networkError(error)));
      writeLines(request, items).catch((error: Error) => request.destroy(error));
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private post(body: string): Promise<BatchAnswer> {
    const send = this.endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    return new Promise((resolve, reject) => {
      const request = send(this.endpoint, { method: 'POST', agent: this.agent, headers }, (response) => {
        readBody(response).then((text) => {
          try {
            resolve(interpretAnswer(response.statusCode ?? 0, text));
          } catch (error) {
            reject(error);
          }
        }, (error: Error) => reject(new TransientError(`reading the answer: ${error.message}`)));
      });
      request.setTimeout(this.options.timeoutMs, () => request.destroy(new Error(`no answer within ${this.options.timeoutMs / 1000} s`)));
      request.on('error', (error: NodeJS.ErrnoException) => reject(networkError(error)));
      request.end(body);
    });
  }
}

function tlsAgentOptions(options: RegistryClientOptions): ConstructorParameters<typeof HttpsAgent>[0] {
  return {
    keepAlive: true,
    maxSockets: options.maxSockets,
    ...(options.certFile && { cert: readFileSync(options.certFile) }),
    ...(options.keyFile && { key: readFileSync(options.keyFile) }),
    ...(options.caFile && { ca: readFileSync(options.caFile) }),
    ...(options.serverName && { servername: options.serverName }),
    // Brainpool keys in TLS 1.2 need the brainpool groups on both sides (libs/platform offers the same ones).
    ecdhCurve: SERVER_TLS_GROUPS,
    minVersion: 'TLSv1.2',
  };
}

/** TLS verification failures are not transient: retrying a wrong CA bundle only delays the message. */
function networkError(error: NodeJS.ErrnoException): Error {
  const tlsProblem = /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL/.test(error.code ?? '');
  const message = `${error.code ? `${error.code}: ` : ''}${error.message}`;
  return tlsProblem ? new Error(`TLS: ${message}`) : new TransientError(message);
}

/** One item per line, waiting for the socket to drain: the upload goes as fast as the server reads it. */
async function writeLines(request: ClientRequest, items: readonly MeterItem[]): Promise<void> {
  for (const item of items) {
    if (request.destroyed) return;
    if (!request.write(`${JSON.stringify(item)}\n`)) await Promise.race([once(request, 'drain'), once(request, 'close')]);
  }
  request.end();
}

/** Result lines to `onResult` as they arrive; resolves with the summary line, which must come last. */
async function readResultLines(response: IncomingMessage, onResult: (result: BatchItemResult) => void): Promise<StreamEnd> {
  let end: StreamEnd | undefined;
  for await (const line of createInterface({ input: response, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let parsed: BatchItemResult | StreamEnd;
    try {
      parsed = JSON.parse(line) as BatchItemResult | StreamEnd;
    } catch {
      throw new TransientError('a result line that is not JSON');
    }
    if ('summary' in parsed) end = parsed;
    else onResult(parsed);
  }
  if (!end) throw new TransientError('the stream ended before its summary line');
  return end;
}

/** A non-200 answer to a stream: transient (429, 5xx) or final. */
function refusalOf(status: number, text: string): Error {
  return status === 429 || status >= 500 ? new TransientError(`HTTP ${status}: ${summarizeProblem(text)}`) : new RequestRefusedError(status, text);
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    response.on('data', (part: Buffer) => parts.push(part));
    response.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('connection closed mid-answer')));
  });
}

export function interpretAnswer(status: number, text: string): BatchAnswer {
  if (status === 429 || status >= 500) throw new TransientError(`HTTP ${status}: ${summarizeProblem(text)}`);
  if (status !== 200) throw new RequestRefusedError(status, text);
  let answer: BatchAnswer;
  try {
    answer = JSON.parse(text) as BatchAnswer;
  } catch {
    throw new TransientError('HTTP 200 with a body that is not JSON');
  }
  if (!Array.isArray(answer.items)) throw new TransientError('HTTP 200 without an items array');
  return answer;
}
