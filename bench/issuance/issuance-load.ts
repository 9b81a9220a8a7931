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
  /** Milliseconds, sorted ascending (timed part only). */
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

/** The serial of a good answer; anything else is an error carrying the answer. */
function issuedSerial(answer: Answer): string {
  if (answer.status === 200 || answer.status === 201) {
    const parsed = JSON.parse(answer.body) as { certificate?: unknown; serial?: unknown };
    if (typeof parsed.certificate === 'string' && parsed.certificate.includes('BEGIN CERTIFICATE') && typeof parsed.serial === 'string') return parsed.serial;
  }
  throw new Error(`issuance failed with HTTP ${answer.status}:\n${answer.body}`);
}

export async function runIssuanceLoad(options: IssuanceLoadOptions): Promise<IssuanceLoadResult> {
  if (options.requests.length === 0) throw new Error('no requests to send');
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = new URL(`/v1/cas/${options.ca}/certificates`, options.baseUrl);
  const bodies = options.requests.map((csr) => JSON.stringify({ profile: options.profile, request: csr }));
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
          serials.push(issuedSerial(await post(agent, url, options.accessToken, body)));
        } catch (error) {
          failure ??= error as Error;
          return;
        }
        latencies?.push(performance.now() - sent);
        issued++;
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
