import type { IncomingMessage } from 'node:http';
import type { ProblemDocument } from './problem-document';

/**
 * Records refused requests in the audit trail. The problem filter calls it, and waits for it, before answering
 * a 401 or 403, or any problem raised with `recordRefusal: true`. The lead binds it with
 * `{ provide: REFUSAL_RECORDER, useClass: ... }` (e.g. appending `outcome: 'denied'` to @smpki/audit's AuditTrail);
 * without a binding nothing is recorded. A failing recorder is logged; the refusal is still answered.
 */
export interface RefusalRecorder {
  record(req: IncomingMessage, problem: ProblemDocument): Promise<void>;
}

export const REFUSAL_RECORDER = Symbol('REFUSAL_RECORDER');

/** Statuses that always count as security-relevant refusals. */
export const REFUSAL_STATUSES: ReadonlySet<number> = new Set([401, 403]);
