/**
 * The vocabulary of bulk issuance: a production batch of PKCS#10 requests in, one result per item out. One bad
 * item never fails the batch; its result carries the same problem document a single request would get.
 */
import { ProblemException, type ProblemDocument } from '@smpki/platform';
import type { IssuedCertificate } from './issued-certificate';

/** Items one batch may carry: bounds the request body and the time one answer takes. */
export const MAX_BATCH_ITEMS = 2000;

export interface BatchItem {
  profile: string;
  /** PKCS#10: DER, or text (PEM or base64 of the DER; other text refuses the item, rule request.encoding). */
  request: Uint8Array | string;
}

/** `refused`: the item is wrong (4xx problem); `failed`: the service could not finish it (5xx), send it again. */
export type BatchItemResult = { status: 'issued'; certificate: IssuedCertificate } | { status: 'refused' | 'failed'; problem: ProblemDocument };

/** The problem document of an error raised for one item; anything that is not a ProblemException is left to fail the batch. */
export function itemProblem(error: unknown): ProblemDocument {
  if (error instanceof ProblemException) return error.asProblemDocument();
  throw error;
}

/** Problem documents name fields of the item they refuse: `items[3].request` rather than `request`. */
export function forItem(problem: ProblemDocument, index: number): ProblemDocument {
  const errors = problem.errors?.map((entry) => ({ ...entry, field: `items[${index}].${entry.field}` }));
  return { ...problem, ...(errors ? { errors } : {}) };
}

export function batchTooLarge(count: number): ProblemException {
  const message = `a batch carries at most ${MAX_BATCH_ITEMS} items (this one has ${count}); split it`;
  return new ProblemException({
    status: 413,
    type: 'certificate-batch-too-large',
    title: 'Batch too large',
    detail: message,
    errors: [{ field: 'items', rule: 'batch.too-large', message }],
    recordRefusal: true,
  });
}
