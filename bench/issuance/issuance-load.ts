/**
 * Closed-loop load on POST /v1/cas/{ca}/certificates: `concurrency` callers over keep-alive connections, each
 * sending the next request as soon as its previous answer is in, for a fixed time. Every answer must be 201 with a
 * certificate; the first one that is not stops the run with the service's problem document.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface IssuanceLoadOptions {
  baseUrl: string;
  ca: string;
  profile: string;
  accessToken: string;
  /** Base64 PKCS#10 requests, sent round-robin. */
  requests: readonly string[];
  concurrency: number;
  /** Requests per call: 1 posts to /certificates, more to /certificates/batch (that many items per call). */
  batchSize: number;
  durationMs: number;
  /** Sent first, not counted (JIT, connection pool, database pool, HSM sessions). */
  warmupMs: number;
  /** Called as the timed part starts and as it ends (e.g. to read the service's CPU time). */
  onTimedPart?: (edge: 'start' | 'end') => void;
}

export interface IssuanceLoadResult {
  /** Certificates issued in the timed part. */
  issued: number;
  /** Certificates issued in the warm-up. */
  warmupIssued: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds per call (a whole batch in batch mode), sorted ascending (timed part only). */
  latenciesMs: Float64Array;
  /** Serial numbers of every certificate issued, warm-up included. */
  serials: string[];
  /** CPU seconds the load generator (this process) used in the timed part. */
  clientCpuSeconds: number;
}

interface Answer {
  status: number;
  body: string;
}

function post(agent: Agent, url: URL, token: string, body: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const call = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', fail);
      },
    );
    call.on('error', fail);
    call.end(body);
  });
}

interface CertificateAnswer {
  certificate?: unknown;
  serial?: unknown;
}

function serialOf(answer: CertificateAnswer): string | undefined {
  const good = typeof answer.certificate === 'string' && answer.certificate.includes('BEGIN CERTIFICATE') && typeof answer.serial === 'string';
  return good ? (answer.serial as string) : undefined;
}

/** The serials of a good answer (one, or one per batch item); anything else is an error carrying the answer. */
function issuedSerials(answer: Answer, batchSize: number): string[] {
  if (answer.status === 200 || answer.status === 201) {
    const parsed = JSON.parse(answer.body) as CertificateAnswer & { items?: Array<{ certificate?: CertificateAnswer }> };
    const serials = batchSize === 1 ? [serialOf(parsed)] : (parsed.items ?? []).map((item) => (item.certificate ? serialOf(item.certificate) : undefined));
    if (serials.length === batchSize && serials.every((serial) => serial !== undefined)) return serials as string[];
  }
  throw new Error(`issuance failed with HTTP ${answer.status}:\n${answer.body.slice(0, 4000)}`);
}

/** The request bodies, sent round-robin: one CSR each, or `batchSize` consecutive CSRs each. */
function requestBodies(options: IssuanceLoadOptions): string[] {
  const item = (csr: string) => ({ profile: options.profile, request: csr });
  if (options.batchSize === 1) return options.requests.map((csr) => JSON.stringify(item(csr)));
  const bodies: string[] = [];
  for (let start = 0; start + options.batchSize <= options.requests.length; start += options.batchSize) {
    bodies.push(JSON.stringify({ items: options.requests.slice(start, start + options.batchSize).map(item) }));
  }
  if (bodies.length === 0) throw new Error(`batches of ${options.batchSize} need at least that many distinct requests`);
  return bodies;
}

export async function runIssuanceLoad(options: IssuanceLoadOptions): Promise<IssuanceLoadResult> {
  if (options.requests.length === 0) throw new Error('no requests to send');
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const path = options.batchSize === 1 ? 'certificates' : 'certificates/batch';
  const url = new URL(`/v1/cas/${options.ca}/${path}`, options.baseUrl);
  const bodies = requestBodies(options);
  const serials: string[] = [];
  let next = 0;
  let failure: Error | undefined;

  const phase = async (durationMs: number, latencies?: number[]): Promise<{ issued: number; seconds: number }> => {
    let issued = 0;
    const start = performance.now();
    const end = start + durationMs;
    const caller = async (): Promise<void> => {
      while (failure === undefined && performance.now() < end) {
        const body = bodies[next++ % bodies.length]!;
        const sent = performance.now();
        try {
          const answered = issuedSerials(await post(agent, url, options.accessToken, body), options.batchSize);
          for (const serial of answered) serials.push(serial);
          issued += answered.length;
        } catch (error) {
          failure ??= error as Error;
          return;
        }
        latencies?.push(performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, caller));
    if (failure) throw failure;
    return { issued, seconds: (performance.now() - start) / 1000 };
  };

  try {
    const warmup = options.warmupMs > 0 ? await phase(options.warmupMs) : { issued: 0 };
    const latencies: number[] = [];
    options.onTimedPart?.('start');
    const cpuBefore = process.cpuUsage();
    const timed = await phase(options.durationMs, latencies);
    const cpu = process.cpuUsage(cpuBefore);
    options.onTimedPart?.('end');
    return {
      issued: timed.issued,
      warmupIssued: warmup.issued,
      seconds: timed.seconds,
      perSecond: timed.issued / timed.seconds,
      latenciesMs: Float64Array.from(latencies).sort(),
      serials,
      clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    agent.destroy();
  }
}

/** The q-quantile (0..1) of ascending samples, nearest rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
