import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEvent } from './audit-event.entity';
import { AuditHead } from './audit-head.entity';

export { AuditCheckpoint } from './audit-checkpoint.entity';
export { AuditEvent, type AuditOutcome } from './audit-event.entity';
export { AUDIT_HEAD_ID, AuditHead } from './audit-head.entity';

/** The audit trail's tables, for PLATFORM_ENTITIES. */
export const AUDIT_ENTITIES: readonly Function[] = [AuditEvent, AuditCheckpoint, AuditHead];
