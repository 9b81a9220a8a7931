import { HttpException } from '@nestjs/common';
import { problemType, statusSlug, statusTitle, type FieldError, type ProblemDocument } from './problem-document';

export interface ProblemInit {
  status: number;
  /** Slug of the problem type (`validation-failed`); the status's slug when omitted. */
  type?: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  /** Extra members of the document (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  /** Response headers, e.g. `WWW-Authenticate` on a 401 or `Retry-After` on a 429/503. */
  headers?: Record<string, string>;
  /**
   * Hand this answer to the RefusalRecorder (the audit trail) even though its status is not 401 or 403,
   * e.g. a 400 for a certificate request whose proof of possession does not verify.
   */
  recordRefusal?: boolean;
}

/**
 * An error answered as an RFC 9457 problem document. It is an HttpException, so Nest and other filters treat it
 * like any other; the platform's filter writes {@link asProblemDocument} as `application/problem+json`.
 */
export class ProblemException extends HttpException {
  readonly problemType: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly recordRefusal: boolean;

  constructor(init: ProblemInit) {
    super(init.detail ?? statusTitle(init.status), init.status);
    this.name = 'ProblemException';
    this.problemType = problemType(init.type ?? statusSlug(init.status));
    this.title = init.title ?? statusTitle(init.status);
    this.detail = init.detail;
    this.errors = init.errors;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
    this.recordRefusal = init.recordRefusal ?? false;
  }

  asProblemDocument(): ProblemDocument {
    return {
      ...this.extensions,
      type: this.problemType,
      title: this.title,
      status: this.getStatus(),
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }

  /** 400 with one entry per invalid field. */
  static validation(errors: FieldError[], detail?: string): ProblemException {
    return new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Validation Failed',
      detail: detail ?? `The request has ${errors.length} invalid ${errors.length === 1 ? 'field' : 'fields'}: ${[...new Set(errors.map((e) => e.field))].join(', ')}`,
      errors,
    });
  }
}
