/**
 * ECDSA verification on worker threads. node:crypto's verify is synchronous (and WebCrypto knows no brainpool
 * curve), so a service that verifies every request's proof of possession on its event loop spends most of that
 * loop on it: about half a millisecond per brainpoolP256r1 signature. The pool moves that work to `workers`
 * threads; checks arriving in the same turn of the event loop travel to a worker as one message.
 */
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { nodeHashName } from '../hash-algorithm';
import type { SignatureCheck } from '../verify-signature';
import type { VerifyBatch, VerifyBatchResult, VerifyJob, VerifyOutcome } from './verify-protocol';

export type { VerifyOutcome } from './verify-protocol';

export interface SignatureVerifierPoolOptions {
  /** Worker threads (default: the machine's cores). */
  workers?: number;
}

/** A check whose key is given as SPKI bytes (a KeyObject cannot be sent to a worker cheaply). */
export type PooledSignatureCheck = Omit<SignatureCheck, 'publicKey'> & { publicKey: Uint8Array };

interface Waiting {
  resolve: (outcomes: VerifyOutcome[]) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  thread: Worker;
  inFlight: Map<number, Waiting>;
  jobsInFlight: number;
}

/** Jobs per message: bounds the latency one big burst adds to the checks queued behind it. */
const MAX_JOBS_PER_MESSAGE = 64;

export class SignatureVerifierPool {
  private readonly workers: PoolWorker[];
  private queue: { job: VerifyJob; resolve: (outcome: VerifyOutcome) => void; reject: (error: Error) => void }[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private closed = false;

  private constructor(count: number) {
    this.workers = Array.from({ length: count }, () => this.startWorker());
  }

  static start(options: SignatureVerifierPoolOptions = {}): SignatureVerifierPool {
    const count = options.workers ?? availableParallelism();
    if (!Number.isSafeInteger(count) || count <= 0) throw new RangeError(`verifier workers must be a positive integer, got ${String(count)}`);
    return new SignatureVerifierPool(count);
  }

  /** Resolves true when the signature verifies, false otherwise (also for a malformed key or signature). */
  async verify(check: PooledSignatureCheck): Promise<boolean> {
    return (await this.check(check)) === 'valid';
  }

  /** Like verify, telling a key OpenSSL refuses (`key-invalid`, e.g. a point off the curve) from a wrong signature. */
  check(check: PooledSignatureCheck): Promise<VerifyOutcome> {
    if (this.closed) return Promise.reject(new Error('the signature verifier pool is closed'));
    const job: VerifyJob = { spki: check.publicKey, data: check.data, signature: check.signature, hash: nodeHashName(check.hash) };
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.thread.terminate()));
    for (const worker of this.workers) this.failAll(worker, new Error('the signature verifier pool was closed'));
  }

  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const slice = this.queue.splice(0, MAX_JOBS_PER_MESSAGE);
      const worker = this.leastBusy();
      const id = this.nextId++;
      worker.jobsInFlight += slice.length;
      worker.inFlight.set(id, {
        resolve: (outcomes) => slice.forEach((entry, index) => entry.resolve(outcomes[index] ?? 'signature-invalid')),
        reject: (error) => slice.forEach((entry) => entry.reject(error)),
      });
      const batch: VerifyBatch = { id, jobs: slice.map((entry) => entry.job) };
      worker.thread.postMessage(batch);
    }
  }

  private leastBusy(): PoolWorker {
    return this.workers.reduce((best, worker) => (worker.jobsInFlight < best.jobsInFlight ? worker : best));
  }

  private startWorker(): PoolWorker {
    const worker: PoolWorker = { thread: startVerifyWorker(), inFlight: new Map(), jobsInFlight: 0 };
    worker.thread.unref();
    worker.thread.on('message', (result: VerifyBatchResult) => {
      const waiting = worker.inFlight.get(result.id);
      if (!waiting) return;
      worker.inFlight.delete(result.id);
      worker.jobsInFlight -= result.outcomes.length;
      waiting.resolve(result.outcomes);
    });
    worker.thread.on('error', (error) => this.replace(worker, error));
    worker.thread.on('exit', (code) => {
      if (!this.closed) this.replace(worker, new Error(`a signature verifier worker exited with code ${code}`));
    });
    return worker;
  }

  /** A worker that died fails its checks (the callers answer 5xx, nothing is issued) and is replaced. */
  private replace(worker: PoolWorker, error: Error): void {
    this.failAll(worker, error);
    const index = this.workers.indexOf(worker);
    if (index >= 0 && !this.closed) {
      void worker.thread.terminate();
      this.workers[index] = this.startWorker();
    }
  }

  private failAll(worker: PoolWorker, error: Error): void {
    for (const waiting of worker.inFlight.values()) waiting.reject(error);
    worker.inFlight.clear();
    worker.jobsInFlight = 0;
  }
}

/**
 * From the sources, Node strips the worker's types itself; the hook says the file is an ES module in TypeScript,
 * which spares Node the CommonJS attempt and its warning.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { registerHooks } = require('node:module');
const { workerData } = require('node:worker_threads');
registerHooks({
  load(url, context, next) {
    return next(url, url.endsWith('.ts') ? { ...context, format: 'module-typescript' } : context);
  },
});
require(workerData.entry);
`;

/** Compiled, the worker is the .js file next to this one. */
function startVerifyWorker(): Worker {
  const extension = extname(__filename);
  const entry = join(__dirname, `verify-worker${extension}`);
  if (extension !== '.ts') return new Worker(entry);
  return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: { entry } });
}
