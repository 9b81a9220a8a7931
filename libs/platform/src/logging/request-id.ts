import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A caller's id is kept only if it is short and plain: it goes into every log line and the problem documents,
 * so it must not be able to inject line breaks, JSON or megabytes.
 */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const REQUEST_ID = Symbol('smpki.requestId');

type WithRequestId = IncomingMessage & { [REQUEST_ID]?: string };

/** The caller's X-Request-Id when acceptable, else a fresh UUID. */
export function chooseRequestId(header: string | string[] | undefined): string {
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate !== undefined && ACCEPTABLE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

export function assignRequestId(req: IncomingMessage, requestId: string): void {
  (req as WithRequestId)[REQUEST_ID] = requestId;
}

/** The id given to this request by the request-id middleware (undefined before it ran). */
export function requestIdOf(req: IncomingMessage): string | undefined {
  return (req as WithRequestId)[REQUEST_ID];
}
