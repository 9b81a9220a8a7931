import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import { AUTH_PROBLEM_TYPES } from '@smpki/auth';
import { AUDIT_TRAIL, problemType, requestIdOf, type ProblemDocument, type RefusalRecorder } from '@smpki/platform';

/**
 * Records refused requests (bad input on security-relevant operations) in the audit trail. Authentication and
 * authorisation refusals are skipped here: the auth module records them itself with their full cause.
 */
@Injectable()
export class AuditRefusalRecorder implements RefusalRecorder {
  private static readonly RECORDED_BY_AUTH = new Set<string>(Object.values(AUTH_PROBLEM_TYPES).map(problemType));

  constructor(@Inject(AUDIT_TRAIL) private readonly audit: AuditTrail) {}

  async record(req: IncomingMessage, problem: ProblemDocument): Promise<void> {
    if (AuditRefusalRecorder.RECORDED_BY_AUTH.has(problem.type)) return;
    await this.audit.append({
      action: 'request.refused',
      outcome: problem.status === 403 ? 'denied' : 'failure',
      target: `${req.method ?? '?'} ${(req.url ?? '').split('?')[0]}`,
      details: {
        status: problem.status,
        type: problem.type,
        title: problem.title,
        ...(problem.errors ? { errors: problem.errors.map(({ field, rule }) => ({ field, rule })) } : {}),
        requestId: requestIdOf(req),
      },
    });
  }
}
