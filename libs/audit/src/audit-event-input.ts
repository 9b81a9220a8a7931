import { AuditEventError } from './audit-errors';
import { canonicalJson } from './canonical-json';
import type { AuditOutcome } from './entities';
import { findSecret } from './secret-detection';

/** A security-relevant event as a service reports it. */
export interface AuditEventInput {
  /** Dotted lower-case name: `key.created`, `certificate.issued`, `certificate.revoked`, `auth.login`, ... */
  action: string;
  outcome: AuditOutcome;
  actor?: string;
  target?: string;
  /** JSON facts about the event; never secrets (see secret-detection.ts). */
  details?: Record<string, unknown>;
}

/** An entry as it was recorded. */
export interface AuditRecord {
  seq: number;
  time: Date;
  service: string;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  details: Record<string, unknown>;
  prevHash: Buffer;
  hash: Buffer;
}

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];

/** Column sizes (characters; details in UTF-8 bytes of its canonical JSON). */
export const AUDIT_LIMITS = { service: 64, actor: 256, action: 128, target: 512, detailsBytes: 16384 } as const;

const ACTION_PATTERN = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
const SERVICE_PATTERN = /^[a-z][a-z0-9-]*$/;
// Control characters would let a value forge extra lines in the verifier's and the operators' output.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The validated event, with details in canonical JSON, ready to be hashed and stored. */
export interface PreparedAuditEvent {
  action: string;
  outcome: AuditOutcome;
  actor: string | null;
  target: string | null;
  details: string;
}

/** Validates an event before anything is written; throws {@link AuditEventError} naming the field. */
export function prepareAuditEvent(event: AuditEventInput): PreparedAuditEvent {
  if (event === null || typeof event !== 'object') throw new AuditEventError('audit event must be an object');
  if (typeof event.action !== 'string' || !ACTION_PATTERN.test(event.action) || event.action.length > AUDIT_LIMITS.action) {
    throw new AuditEventError(
      `audit event action must be dotted lower-case words (e.g. certificate.issued) of at most ${AUDIT_LIMITS.action} characters`,
    );
  }
  if (!AUDIT_OUTCOMES.includes(event.outcome)) {
    throw new AuditEventError(`audit event outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  return {
    action: event.action,
    outcome: event.outcome,
    actor: optionalText('actor', event.actor, AUDIT_LIMITS.actor),
    target: optionalText('target', event.target, AUDIT_LIMITS.target),
    details: prepareDetails(event.details),
  };
}

/** Validates a trail's service name (it is stored with every entry). */
export function assertServiceName(service: string): void {
  if (typeof service !== 'string' || !SERVICE_PATTERN.test(service) || service.length > AUDIT_LIMITS.service) {
    throw new AuditEventError(
      `audit service name must be lower-case letters, digits and dashes (e.g. sub-ca), at most ${AUDIT_LIMITS.service} characters`,
    );
  }
}

function optionalText(field: string, value: string | undefined, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '') throw new AuditEventError(`audit event ${field} must be a non-empty string when given`);
  if (value.length > maxLength) throw new AuditEventError(`audit event ${field} is longer than ${maxLength} characters`);
  if (CONTROL_CHARACTERS.test(value)) throw new AuditEventError(`audit event ${field} contains control characters`);
  canonicalJson(value, field); // refuses lone surrogates
  return value;
}

function prepareDetails(details: Record<string, unknown> | undefined): string {
  if (details === undefined || details === null) return '{}';
  if (typeof details !== 'object' || Array.isArray(details)) throw new AuditEventError('audit event details must be an object');
  const canonical = canonicalJson(details, 'details');
  // After canonicalJson: it has refused cycles, so the walk below terminates.
  const secret = findSecret(details, 'details');
  if (secret) {
    throw new AuditEventError(`audit event ${secret} looks like a secret (PIN, password, token, private key); the audit trail never stores secrets`);
  }
  if (Buffer.byteLength(canonical, 'utf8') > AUDIT_LIMITS.detailsBytes) {
    throw new AuditEventError(`audit event details exceed ${AUDIT_LIMITS.detailsBytes} bytes of JSON`);
  }
  return canonical;
}
