import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { ServiceLifecycle } from '../health/service-lifecycle';
import { JsonLogger } from '../logging/json-logger';

export interface GracefulShutdownOptions {
  /** How long in-flight requests may take to finish, and then again how long closing resources may take. */
  graceMs: number;
  signals?: readonly NodeJS.Signals[];
  /** process.exit by default; tests pass their own. */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** What a signal does; callable directly (tests, an admin command). Resolves with the exit code it used. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal handlers. */
  dispose(): void;
}

/** While draining, idle keep-alive connections are closed this often: a response that just finished leaves one. */
const IDLE_SWEEP_MS = 50;

function delay(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Stops accepting connections and resolves once every open one has ended (in-flight requests answered). */
async function drainServer(server: Server, graceMs: number, logger: JsonLogger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Node's close() ends only the connections idle at that moment; keep-alive ones freed later are swept here.
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const deadline = delay(graceMs);
  try {
    if ((await Promise.race([closed, deadline.promise])) === 'timeout') {
      logger.warn('in-flight requests did not finish within the grace period; closing their connections', { graceMs });
      server.closeAllConnections();
      await closed;
    }
  } finally {
    clearInterval(sweep);
    deadline.cancel();
  }
}

/**
 * SIGTERM/SIGINT: readiness turns 503 and responses close their connections (drain), the listener stops accepting,
 * in-flight requests finish (or are cut after `graceMs`), then Nest's shutdown hooks close resources (database,
 * HSM sessions: ResourceShutdown), and the process exits 0. A second signal, or hooks that hang past `graceMs`,
 * exit 1 at once. Nest's own enableShutdownHooks is not used: it runs onModuleDestroy before the server stops
 * accepting, i.e. it would close the database under requests still being served.
 */
export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): GracefulShutdown {
  const logger = app.get(JsonLogger).child('Shutdown');
  const lifecycle = app.get(ServiceLifecycle);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let running: Promise<number> | undefined;

  const stop = async (reason: string): Promise<number> => {
    logger.info('stopping', { reason, graceMs: options.graceMs });
    lifecycle.beginDrain();
    await drainServer(app.getHttpServer() as Server, options.graceMs, logger);
    const hooks = delay(options.graceMs);
    const outcome = await Promise.race([app.close().then(() => 'closed' as const), hooks.promise]).catch((error: unknown) => {
      logger.error('shutdown hooks failed', { err: error });
      return 'failed' as const;
    });
    hooks.cancel();
    if (outcome === 'timeout') logger.error('shutdown hooks did not finish within the grace period', { graceMs: options.graceMs });
    const code = outcome === 'closed' ? 0 : 1;
    logger.info('stopped', { exitCode: code });
    return code;
  };

  const shutdown = (reason: string): Promise<number> => {
    running ??= stop(reason).then((code) => {
      exit(code);
      return code;
    });
    return running;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running) {
      logger.warn('second stop signal: exiting without waiting', { signal });
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return { shutdown, dispose: () => signals.forEach((signal) => process.off(signal, onSignal)) };
}
