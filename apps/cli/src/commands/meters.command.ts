import { exitCodeOf, formatSummary, registerMeters } from '../meters/register-meters';
import { RegistryClient } from '../meters/registry-client';

/** The options of `smpki meters register` as commander hands them over (strings). */
export interface MetersRegisterOptions {
  url: string;
  file: string;
  out: string;
  cert?: string;
  key?: string;
  ca?: string;
  servername?: string;
  token?: string;
  batchSize: string;
  concurrency: string;
  retries: string;
  timeout: string;
  /** One NDJSON stream (POST /v1/meters/stream) instead of batches. */
  stream?: boolean;
}

/** POST /v1/meters/batch takes at most this many items (docs/METER-REGISTRATION.md). */
export const MAX_BATCH_SIZE = 2000;

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return number;
}

/**
 * The production line's client: registers the meters of a batch file over mutual TLS (or a bearer token) and writes
 * their certificates. Needs no service configuration: it talks to the sub-CA only over HTTP. Exit 0 when every meter
 * has its certificate, 1 when an item was refused or failed, 2 when the run stopped early (run again to resume).
 */
export async function metersRegister(options: MetersRegisterOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const batchSize = wholeNumber('batch-size', options.batchSize, 1, MAX_BATCH_SIZE);
  const concurrency = wholeNumber('concurrency', options.concurrency, 1, 64);
  const retries = wholeNumber('retries', options.retries, 0, 100);
  const timeoutMs = wholeNumber('timeout', options.timeout, 1, 3600) * 1000;
  if (Boolean(options.cert) !== Boolean(options.key)) throw new Error('--cert and --key go together');
  if (!/^https?:\/\//.test(options.url)) throw new Error(`--url must be an http:// or https:// URL (got "${options.url}")`);
  const client = new RegistryClient({
    url: options.url,
    ...(options.cert && { certFile: options.cert }),
    ...(options.key && { keyFile: options.key }),
    ...(options.ca && { caFile: options.ca }),
    ...(options.servername && { serverName: options.servername }),
    ...(options.token && { token: options.token }),
    maxSockets: concurrency,
    timeoutMs,
    retries,
    onRetry: (attempt, reason, delayMs) => err(`retry ${attempt}/${retries} in ${(delayMs / 1000).toFixed(1)} s: ${reason}`),
  });
  try {
    const summary = await registerMeters(
      { file: options.file, out: options.out, batchSize, concurrency, retries, stream: Boolean(options.stream) },
      { client, progress: process.stderr, report: err },
    );
    out(formatSummary(summary));
    return exitCodeOf(summary);
  } finally {
    client.close();
  }
}
