/** An event the trail refuses to record: the message names the field (never the offending value). */
export class AuditEventError extends Error {
  override readonly name = 'AuditEventError';
}

/** The stored trail is not in a state the trail can extend (e.g. its head row is missing). */
export class AuditIntegrityError extends Error {
  override readonly name = 'AuditIntegrityError';
}
