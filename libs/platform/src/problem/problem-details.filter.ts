import { Catch, Injectable, type ArgumentsHost, type ExceptionFilter, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JsonLogger } from '../logging/json-logger';
import { pathOf } from '../http/request-path';
import { requestIdOf } from '../logging/request-id';
import { problemFromException } from './problem-from-exception';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument } from './problem-document';
import { REFUSAL_RECORDER, REFUSAL_STATUSES, type RefusalRecorder } from './refusal-recorder';

/**
 * Nest's unknown-route message repeats the whole URL, query string included (which may carry a token); the
 * answer and the log name the path only.
 */
function routeNotFoundDetail(req: IncomingMessage, path: string, document: ProblemDocument): Partial<ProblemDocument> {
  const nestMessage = `Cannot ${req.method} `;
  return document.status === 404 && document.detail?.startsWith(nestMessage) ? { detail: `Cannot ${req.method} ${path}` } : {};
}

/**
 * Answers every error of an HTTP request as `application/problem+json` (RFC 9457): ProblemException as built,
 * Nest's HttpExceptions (unknown routes, malformed bodies, guards) by their status, anything else as a 500 whose
 * document says nothing about the cause; the cause goes to the log with the request id. Registered globally by
 * PlatformModule (APP_FILTER).
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter, OnApplicationBootstrap {
  private readonly logger: JsonLogger;
  private refusals?: RefusalRecorder;

  constructor(
    logger: JsonLogger,
    private readonly moduleRef: ModuleRef,
  ) {
    this.logger = logger.child('ProblemDetails');
  }

  /** The recorder may be bound in any module (the audit module, typically), so it is looked up, not injected. */
  onApplicationBootstrap(): void {
    try {
      this.refusals = this.moduleRef.get<RefusalRecorder>(REFUSAL_RECORDER, { strict: false });
    } catch {
      this.refusals = undefined; // none bound: refusals are only logged
    }
  }

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const { document, headers, recordRefusal, unexpected } = problemFromException(exception);
    const requestId = requestIdOf(req);
    const path = pathOf(req);
    const problem: ProblemDocument = { ...document, ...routeNotFoundDetail(req, path, document), instance: path, ...(requestId ? { requestId } : {}) };
    const fields = { method: req.method, path: problem.instance, status: problem.status, type: problem.type };

    if (unexpected !== undefined) this.logger.error('unhandled exception', { ...fields, err: unexpected });
    else if (problem.status >= 500) this.logger.error('request failed', { ...fields, detail: problem.detail });
    else this.logger.debug('request refused', { ...fields, detail: problem.detail });

    if (this.refusals && (recordRefusal || REFUSAL_STATUSES.has(problem.status))) await this.recordRefusal(req, problem);
    this.send(res, problem, headers);
  }

  private async recordRefusal(req: IncomingMessage, problem: ProblemDocument): Promise<void> {
    try {
      await this.refusals?.record(req, problem);
    } catch (error) {
      this.logger.error('could not record a refused request', { err: error, status: problem.status, path: problem.instance });
    }
  }

  private send(res: ServerResponse, problem: ProblemDocument, headers: Record<string, string>): void {
    if (res.headersSent) {
      // The response was already under way (a stream that failed): all that can be done is to cut it short.
      this.logger.warn('error after the response started; closing the connection', { status: problem.status });
      res.destroy();
      return;
    }
    const body = JSON.stringify(problem);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.statusCode = problem.status;
    res.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  }
}
