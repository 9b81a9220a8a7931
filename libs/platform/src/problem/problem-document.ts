import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Problem types are URNs: absolute URIs (RFC 9457 asks for those) that no client will try to dereference, named by
 * a short slug such as `validation-failed` or `not-found`.
 */
export const PROBLEM_TYPE_PREFIX = 'urn:smpki:problem:';

/** One invalid input: which field (`subject.commonName`, `items[2].id`), which rule (`isString`), and what to do. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** RFC 9457 problem details, with `errors` for validation failures and `requestId` to find the request in the logs. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export function problemType(slug: string): string {
  return `${PROBLEM_TYPE_PREFIX}${slug}`;
}

/** `Not Found` -> `not-found`, `I'm a Teapot` -> `im-a-teapot`: the slug of a status without a more specific type. */
export function statusSlug(status: number): string {
  const text = STATUS_CODES[status] ?? `status-${status}`;
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
