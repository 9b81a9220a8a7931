/** @smpki/runtime: composes the platform libraries (HSM, database, audit trail, authentication) into every service. */
export { RuntimeModule, type RuntimeOptions } from './runtime.module';
export { AuditedKeyManager } from './audited-key-manager';
export { openKeyManager } from './key-manager.provider';
export { auditableSettings, type AuditableSettings } from './configuration-audit';
export { RAW_KEY_MANAGER } from './tokens';
