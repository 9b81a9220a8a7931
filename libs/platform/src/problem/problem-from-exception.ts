import { HttpException } from '@nestjs/common';
import { ProblemException } from './problem.exception';
import { problemType, statusSlug, statusTitle, type ProblemDocument } from './problem-document';

export interface ResolvedProblem {
  document: ProblemDocument;
  headers: Record<string, string>;
  recordRefusal: boolean;
  /** Set when the exception was not an HttpException: a bug or an outage, logged in full, never shown. */
  unexpected?: unknown;
}

const INTERNAL_DETAIL = 'The service could not complete the request. Quote the request id when reporting this.';

/** The human text of a Nest HttpException: its string body or `message` (ValidationPipe's default is a list). */
function httpExceptionDetail(exception: HttpException): string | undefined {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/** Maps whatever was thrown to the problem document that answers it. */
export function problemFromException(exception: unknown): ResolvedProblem {
  if (exception instanceof ProblemException) {
    return { document: exception.asProblemDocument(), headers: exception.headers, recordRefusal: exception.recordRefusal };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const title = statusTitle(status);
    const detail = httpExceptionDetail(exception);
    return {
      document: {
        type: problemType(statusSlug(status)),
        title,
        status,
        // `new NotFoundException()` says only "Not Found": no detail beyond the title.
        ...(detail && detail !== title ? { detail } : {}),
      },
      headers: {},
      recordRefusal: false,
    };
  }
  return {
    document: { type: problemType('internal-error'), title: statusTitle(500), status: 500, detail: INTERNAL_DETAIL },
    headers: {},
    recordRefusal: false,
    unexpected: exception,
  };
}
