/** The service's hash-chained audit trail (@smpki/audit `AuditTrail`). */
export const AUDIT_TRAIL = Symbol('AUDIT_TRAIL');

/** The event shape of @smpki/audit's `AuditEventInput`, for code here that records without importing the library. */
export interface AuditEventPort {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actor?: string;
  target?: string;
  details?: Record<string, unknown>;
}

export interface AuditTrailPort {
  append(event: AuditEventPort): Promise<unknown>;
}
