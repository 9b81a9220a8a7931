import type { IncomingMessage } from 'node:http';

/** The request's path without the query string: queries may carry values that have no business in a log or an answer. */
export function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
