// Entities first, and from modules that import only typeorm: @smpki/persistence lists them in PLATFORM_ENTITIES
// and the modules below import @smpki/persistence, so whichever library loads first, the list is complete.
export * from './entities';
export * from './audit-errors';
export { type AuditEventInput, type AuditRecord, AUDIT_LIMITS, AUDIT_OUTCOMES } from './audit-event-input';
export { canonicalJson } from './canonical-json';
export { findSecret, isSecretLikeKey, SECRET_KEY_SUFFIXES } from './secret-detection';
export { AUDIT_EVENT_HASH_DOMAIN, type AuditHashedFields, computeEventHash, GENESIS_HASH } from './event-hash';
export {
  AUDIT_CHECKPOINT_DOMAIN,
  type CheckpointSignedFields,
  checkpointHash,
  checkpointPayload,
  checkpointSignatureHash,
  checkpointSignatureProblem,
} from './checkpoint-signature';
export { AuditTrail, type AuditCheckpointRecord, type AuditTrailOptions, DEFAULT_CHECKPOINT_EVERY } from './audit-trail';
export * from './audit-verification-report';
export { verifyAuditChain, type VerifyAuditChainOptions } from './verify-audit-chain';
export { readTrustedKey, TrustedKeyError } from './trusted-key';
