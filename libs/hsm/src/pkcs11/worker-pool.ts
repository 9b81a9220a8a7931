/**
 * The main-thread side of the PKCS#11 workers: dispatches requests to `workers` threads, several batches in flight
 * per worker so that none waits for the main thread, and guards them.
 *
 * Invariants:
 * - every request is answered exactly once: `pending` holds each unanswered request, an answer removes it, and any
 *   later answer for the same id (from a replaced worker, or a re-sent copy) is dropped and counted;
 * - no request is lost: requests of a worker that hangs or dies are sent again to another worker, marked `retry`
 *   so that creations look for their object first; only the call that hung fails ('timeout');
 * - a worker processes its requests in order, so the oldest unanswered one is the one it is working on: when that
 *   has run longer than callTimeoutMs (counted from when the worker last answered or received it), the worker is
 *   terminated and a new one started.
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { fromHsmErrorData, HsmError } from '../hsm-error';
import type { HsmLogger } from '../hsm-config';
import { RequestQueue } from './request-queue';
import { startWorkerThread } from './worker-loader';
import {
  CONTROL_SLOTS,
  ControlSlot,
  MUTATING_OPS,
  type MainToWorker,
  type ProbeResult,
  type WorkerCall,
  type WorkerResult,
  type WorkerSetup,
  type WorkerToMain,
} from './worker-protocol';

export interface WorkerPoolOptions {
  modulePath: string;
  tokenLabel: string;
  pin: string;
  moduleEnvironment: Record<string, string>;
  workers: number;
  callTimeoutMs: number;
  pipelineDepth: number;
  sessionKeyCopies: boolean;
  debugHooks: boolean;
  logger: HsmLogger;
}

export interface HsmPoolStats {
  /** Workers ready to serve. */
  workers: number;
  submitted: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  /** Requests sent again because the worker that had them hung or died. */
  redispatched: number;
  workerReplacements: number;
  /** Answers for requests that had been answered already (by a replaced worker or a re-sent copy), dropped. */
  duplicateAnswersDropped: number;
  queued: number;
  unanswered: number;
}

interface PendingRequest {
  id: number;
  call: WorkerCall;
  /** "signing with pkcs11:..." — for messages. */
  action: string;
  resolve(value: unknown): void;
  reject(error: HsmError): void;
  sentAt: number;
  retry: boolean;
  losses: number;
}

interface PoolWorker {
  index: number;
  thread: Worker;
  ready: boolean;
  retired: boolean;
  /** Sent and not answered by this worker, oldest first (Map keeps insertion order). */
  inFlight: Map<number, PendingRequest>;
  lastAnswerAt: number;
  onStartup?: (message: WorkerToMain) => void;
  onClosed?: () => void;
}

/** How often a request may lose its worker before it fails instead of being sent again. */
const MAX_WORKER_LOSSES = 3;
/** Start-up includes C_Initialize and C_Login, which derive keys from the PIN: allow more than one call. */
const MIN_STARTUP_TIMEOUT_MS = 15_000;

/** Key managers of this process (realm) per module: the last one to close finalises the module. */
const moduleUsers = new Map<string, number>();

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class WorkerPool {
  private readonly options: WorkerPoolOptions;
  private readonly control = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  private readonly controlView = new Int32Array(this.control);
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, PendingRequest>();
  private readonly queue = new RequestQueue<PendingRequest>();
  private readonly maxBatch: number;
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 0;
  private dispatchScheduled = false;
  private paused = false;
  private closing: Promise<void> | undefined;
  private noWorkerSince: number | undefined;
  private lastStartError = '';
  private readonly counters = {
    submitted: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    redispatched: 0,
    workerReplacements: 0,
    duplicateAnswersDropped: 0,
  };

  private constructor(options: WorkerPoolOptions) {
    this.options = options;
    this.maxBatch = Math.max(1, Math.ceil(options.pipelineDepth / 2));
    this.watchdog = setInterval(() => this.checkDeadlines(), Math.max(10, Math.min(250, options.callTimeoutMs / 4)));
    this.watchdog.unref();
    moduleUsers.set(options.modulePath, (moduleUsers.get(options.modulePath) ?? 0) + 1);
  }

  /**
   * Starts the first worker, which probes the module. The caller checks the probe and then calls {@link grow}
   * (or {@link close} to refuse the module).
   */
  static async start(options: WorkerPoolOptions): Promise<{ pool: WorkerPool; probe: ProbeResult }> {
    const pool = new WorkerPool(options);
    try {
      const probe = await pool.startWorker(0, true);
      return { pool, probe: probe! };
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  /** Starts the remaining workers. */
  async grow(): Promise<void> {
    try {
      await Promise.all(Array.from({ length: this.options.workers - 1 }, (_, i) => this.startWorker(i + 1, false)));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  submit<T>(call: WorkerCall, action: string): Promise<T> {
    if (this.closing) return Promise.reject(new HsmError('closed', `${action} refused: the key manager is closed`));
    return new Promise<T>((resolve, reject) => {
      const request: PendingRequest = { id: ++this.nextId, call, action, resolve: resolve as (value: unknown) => void, reject, sentAt: 0, retry: false, losses: 0 };
      this.pending.set(request.id, request);
      this.queue.push(request);
      this.counters.submitted++;
      this.scheduleDispatch();
    });
  }

  /** Sends a message to every ready worker (e.g. to forget a destroyed key). */
  broadcast(message: MainToWorker): void {
    for (const worker of this.workers) if (worker.ready) worker.thread.postMessage(message);
  }

  stats(): HsmPoolStats {
    return {
      workers: this.readyWorkers().length,
      ...this.counters,
      queued: this.queue.length,
      unanswered: this.pending.size,
    };
  }

  /**
   * Test hook: parks every worker between two calls (requests stay in flight) and resolves when all are parked;
   * call the returned function to let them go on. Meanwhile the test may restart the module under them.
   */
  async pauseWorkers(): Promise<() => void> {
    this.paused = true;
    Atomics.store(this.controlView, ControlSlot.park, 1);
    const workers = this.readyWorkers();
    for (const worker of workers) worker.thread.postMessage({ type: 'park' } satisfies MainToWorker);
    while (Atomics.load(this.controlView, ControlSlot.parked) < workers.length) await sleep(1);
    return () => {
      const now = performance.now();
      for (const worker of this.workers) worker.lastAnswerAt = now;
      this.paused = false;
      Atomics.store(this.controlView, ControlSlot.park, 0);
      Atomics.notify(this.controlView, ControlSlot.park);
    };
  }

  /** Lets requests in flight finish, closes every session, and finalises the module if no other manager uses it. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  // --- dispatch ------------------------------------------------------------------------------------------------

  private readyWorkers(): PoolWorker[] {
    return this.workers.filter((worker) => worker.ready && !worker.retired);
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    // Requests submitted in the same tick (Promise.all over many signatures) leave together as one batch.
    queueMicrotask(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  private leastLoadedWorker(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.workers) {
      if (!worker.ready || worker.retired || worker.inFlight.size >= this.options.pipelineDepth) continue;
      if (!best || worker.inFlight.size < best.inFlight.size) best = worker;
    }
    return best;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.leastLoadedWorker();
      if (!worker) return;
      const count = Math.min(this.options.pipelineDepth - worker.inFlight.size, this.maxBatch, this.queue.length);
      const now = performance.now();
      const requests = [];
      for (let i = 0; i < count; i++) {
        const request = this.queue.shift()!;
        request.sentAt = now;
        worker.inFlight.set(request.id, request);
        requests.push({ id: request.id, retry: request.retry, call: request.call });
      }
      worker.thread.postMessage({ type: 'requests', requests } satisfies MainToWorker);
    }
  }

  private onResults(worker: PoolWorker, results: WorkerResult[]): void {
    worker.lastAnswerAt = performance.now();
    for (const result of results) {
      worker.inFlight.delete(result.id);
      const request = this.pending.get(result.id);
      if (!request) {
        this.counters.duplicateAnswersDropped++;
        continue;
      }
      this.pending.delete(result.id);
      if (result.ok) {
        this.counters.succeeded++;
        request.resolve(result.value);
      } else {
        this.counters.failed++;
        request.reject(fromHsmErrorData(result.error));
      }
    }
    this.dispatch();
  }

  private answerWithError(request: PendingRequest, error: HsmError): void {
    if (!this.pending.delete(request.id)) return;
    this.counters.failed++;
    request.reject(error);
  }

  // --- workers -------------------------------------------------------------------------------------------------

  private startWorker(index: number, probe: boolean): Promise<ProbeResult | undefined> {
    const setup: WorkerSetup = {
      modulePath: this.options.modulePath,
      tokenLabel: this.options.tokenLabel,
      pin: this.options.pin,
      moduleEnvironment: this.options.moduleEnvironment,
      index,
      probe,
      sessionKeyCopies: this.options.sessionKeyCopies,
      debugHooks: this.options.debugHooks,
      // Only the first worker may finalise on failure: later ones have siblings using the module.
      finalizeOnFailure: probe && moduleUsers.get(this.options.modulePath) === 1,
      control: this.control,
    };
    const worker: PoolWorker = { index, thread: startWorkerThread(setup), ready: false, retired: false, inFlight: new Map(), lastAnswerAt: 0 };
    this.workers.push(worker);
    worker.thread.on('message', (message: WorkerToMain) => this.onMessage(worker, message));
    worker.thread.on('error', (error) => this.options.logger.error('PKCS#11 worker failed', { worker: index, error: error.message }));
    worker.thread.on('exit', (code) => this.onExit(worker, code));

    return new Promise<ProbeResult | undefined>((resolve, reject) => {
      const timeoutMs = Math.max(this.options.callTimeoutMs, MIN_STARTUP_TIMEOUT_MS);
      const timer = setTimeout(() => {
        this.retire(worker);
        reject(new HsmError('timeout', `opening token '${this.options.tokenLabel}' of ${this.options.modulePath} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      worker.onStartup = (message) => {
        clearTimeout(timer);
        worker.onStartup = undefined;
        if (message.type === 'ready') {
          worker.ready = true;
          worker.lastAnswerAt = performance.now();
          this.noWorkerSince = undefined;
          this.dispatch();
          resolve(message.probe);
        } else if (message.type === 'fatal') {
          this.retire(worker);
          reject(fromHsmErrorData(message.error));
        } else {
          this.retire(worker);
          reject(new HsmError('unavailable', `the PKCS#11 worker for token '${this.options.tokenLabel}' exited while starting`));
        }
      };
    });
  }

  private onMessage(worker: PoolWorker, message: WorkerToMain): void {
    switch (message.type) {
      case 'results':
        this.onResults(worker, message.results);
        return;
      case 'log':
        this.options.logger[message.level](message.msg, message.fields);
        return;
      case 'closed':
        worker.onClosed?.();
        return;
      case 'ready':
      case 'fatal':
        worker.onStartup?.(message);
        return;
    }
  }

  private onExit(worker: PoolWorker, code: number): void {
    if (worker.onStartup) {
      worker.onStartup({ type: 'closed' });
      return;
    }
    worker.onClosed?.();
    if (worker.retired || this.closing) return;
    this.options.logger.error('PKCS#11 worker exited unexpectedly; starting a new one', { worker: worker.index, code });
    this.replace(worker, undefined);
  }

  /** Takes a worker out of service (for good) and terminates its thread. */
  private retire(worker: PoolWorker): void {
    if (worker.retired) return;
    worker.retired = true;
    worker.ready = false;
    void worker.thread.terminate();
    if (this.readyWorkers().length === 0) this.noWorkerSince ??= performance.now();
  }

  /**
   * Replaces a worker that hung (on `hung`) or died: fails the hung request, sends its other requests to the
   * remaining workers, and starts a new thread in its place.
   */
  private replace(worker: PoolWorker, hung: PendingRequest | undefined): void {
    this.retire(worker);
    this.counters.workerReplacements++;
    const resend: PendingRequest[] = [];
    for (const request of worker.inFlight.values()) {
      if (request === hung || !this.pending.has(request.id)) continue;
      request.retry = true;
      request.losses++;
      if (request.losses >= MAX_WORKER_LOSSES) {
        this.answerWithError(request, new HsmError('unavailable', `${request.action} failed: the PKCS#11 worker serving it was lost ${request.losses} times`));
      } else {
        this.counters.redispatched++;
        resend.push(request);
      }
    }
    worker.inFlight.clear();
    this.queue.unshiftAll(resend);
    void this.restart(worker.index, 1000);
    this.dispatch();
  }

  private async restart(index: number, backoffMs: number): Promise<void> {
    if (this.closing) return;
    try {
      await this.startWorker(index, false);
      this.options.logger.info('PKCS#11 worker started in place of a lost one', { worker: index });
    } catch (error) {
      this.lastStartError = (error as Error).message;
      this.options.logger.error('starting a PKCS#11 worker failed; trying again', { worker: index, error: this.lastStartError, retryInMs: backoffMs });
      setTimeout(() => void this.restart(index, Math.min(backoffMs * 2, 30_000)), backoffMs).unref();
    }
  }

  private checkDeadlines(): void {
    if (this.paused || this.closing) return;
    const now = performance.now();
    const timeoutMs = this.options.callTimeoutMs;
    for (const worker of this.readyWorkers()) {
      const oldest: PendingRequest | undefined = worker.inFlight.values().next().value;
      if (!oldest || now - Math.max(oldest.sentAt, worker.lastAnswerAt) <= timeoutMs) continue;
      this.counters.timedOut++;
      const effect = MUTATING_OPS.has(oldest.call.op) ? '; whether it took effect in the token is unknown' : '';
      this.answerWithError(
        oldest,
        new HsmError('timeout', `${oldest.action} did not finish within ${timeoutMs} ms (the PKCS#11 call hung); worker ${worker.index} was replaced${effect}`),
      );
      this.options.logger.error('PKCS#11 call hung; replacing its worker', { worker: worker.index, action: oldest.action, timeoutMs });
      this.replace(worker, oldest);
    }
    if (this.noWorkerSince !== undefined && now - this.noWorkerSince > timeoutMs) {
      const reason = this.lastStartError || 'all workers were lost';
      for (const request of this.queue.drain()) {
        this.answerWithError(request, new HsmError('unavailable', `${request.action} failed: no PKCS#11 worker is available (${reason})`));
      }
    }
  }

  // --- shutdown ------------------------------------------------------------------------------------------------

  private async shutDown(): Promise<void> {
    const deadline = performance.now() + this.options.callTimeoutMs;
    while (this.pending.size > 0 && performance.now() < deadline) await sleep(5);
    for (const request of [...this.pending.values()]) {
      this.answerWithError(request, new HsmError('closed', `${request.action} was cancelled: the key manager closed`));
    }
    this.queue.drain();
    clearInterval(this.watchdog);
    const users = (moduleUsers.get(this.options.modulePath) ?? 1) - 1;
    if (users > 0) moduleUsers.set(this.options.modulePath, users);
    else moduleUsers.delete(this.options.modulePath);
    const [last, ...others] = this.readyWorkers();
    await Promise.all(others.map((worker) => this.closeWorker(worker, false)));
    // Finalising lets the next open() in this process read the module's configuration afresh (SoftHSM2_CONF).
    if (last) await this.closeWorker(last, users === 0);
    for (const worker of this.workers) this.retire(worker);
  }

  private closeWorker(worker: PoolWorker, finalize: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.callTimeoutMs);
      worker.onClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      worker.thread.postMessage({ type: 'close', finalize } satisfies MainToWorker);
    }).finally(() => this.retire(worker));
  }
}
