import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf } from '../http/request-path';
import type { JsonLogger } from './json-logger';
import { runInRequestContext } from './request-context';
import { assignRequestId, chooseRequestId, REQUEST_ID_HEADER } from './request-id';

export type RawMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface RequestTrackingOptions {
  logger: JsonLogger;
  /** Paths whose successful requests are logged at debug, not info (probes every few seconds would drown the log). */
  quietPaths?: readonly string[];
  /** True while the service drains before stopping: responses then close their connection. */
  isDraining?: () => boolean;
}

/**
 * The first middleware of every service, ahead of body parsing and routing, so every request (also malformed ones,
 * unknown routes and the OpenAPI document) gets an id, an `X-Request-Id` response header and one access-log line.
 */
export function requestTrackingMiddleware(options: RequestTrackingOptions): RawMiddleware {
  const logger = options.logger.child('HttpAccess');
  const quiet = new Set(options.quietPaths ?? []);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = chooseRequestId(req.headers[REQUEST_ID_HEADER]);
    assignRequestId(req, requestId);
    res.setHeader('X-Request-Id', requestId);
    // Keep-alive connections would outlive a draining server; this makes each one end after its current response.
    if (options.isDraining?.()) res.setHeader('Connection', 'close');
    let logged = false;
    const logLine = (completed: boolean): void => {
      if (logged) return;
      logged = true;
      const path = pathOf(req);
      const status = res.statusCode;
      const level = !completed || status >= 500 ? 'warn' : quiet.has(path) && status < 400 ? 'debug' : 'info';
      const length = res.getHeader('content-length');
      runInRequestContext({ requestId }, () =>
        logger.write(level, completed ? 'request completed' : 'request aborted', {
          method: req.method,
          path,
          status,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          ...(length !== undefined ? { bytes: Number(length) } : {}),
          remoteAddress: req.socket.remoteAddress,
        }),
      );
    };
    res.once('finish', () => logLine(true));
    res.once('close', () => logLine(res.writableFinished));
    // Everything after this point (body parsing, guards, handlers, the problem filter) runs in this context; Node 24's
    // AsyncContextFrame keeps it across the body parser's socket reads (logging.e2e-spec checks a slow body).
    runInRequestContext({ requestId }, () => next());
  };
}
