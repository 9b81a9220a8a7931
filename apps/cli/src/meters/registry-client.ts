/**
 * The HTTP client of the production line: POST /v1/meters/batch over HTTPS with a client certificate (mutual TLS),
 * or a bearer token, or plain HTTP for development. One keep-alive agent, so each connection does its TLS handshake
 * once. Network errors, timeouts, 429 and 5xx are retried with exponential backoff: the API is idempotent (a meter
 * certified with the same key answers `existing`), so sending a chunk again after a lost answer is safe.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
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
  private readonly agent: HttpAgent;

  constructor(private readonly options: RegistryClientOptions) {
    this.endpoint = new URL('/v1/meters/batch', options.url);
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
