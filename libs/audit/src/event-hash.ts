/**
 * The hash of an audit entry:
 *
 *   hash = SHA-256( LP("smpki-audit-event/v1") || LP(decimal seq) || LP(prev_hash) || LP(time, ISO 8601 UTC with ms)
 *                   || LP(service) || OPT(actor) || LP(action) || OPT(target) || LP(outcome) || LP(details) )
 *
 * LP = 4-byte big-endian length + bytes (UTF-8 for text), OPT = 0x00 for null or 0x01 || LP(value) (see
 * length-prefixed.ts); details is the canonical JSON text stored in the row; prev_hash of entry 1 is 32 zero bytes.
 */
import { createHash } from 'node:crypto';
import { LengthPrefixedEncoder } from './length-prefixed';

export const AUDIT_EVENT_HASH_DOMAIN = 'smpki-audit-event/v1';
export const AUDIT_HASH_BYTES = 32;
/** prev_hash of the first entry, and prev_checkpoint_hash of the first checkpoint. */
export const GENESIS_HASH: Buffer = Buffer.alloc(AUDIT_HASH_BYTES);

export interface AuditHashedFields {
  seq: number;
  prevHash: Buffer;
  time: Date;
  service: string;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: string;
  /** Canonical JSON text. */
  details: string;
}

export function computeEventHash(fields: AuditHashedFields): Buffer {
  const encoded = new LengthPrefixedEncoder(AUDIT_EVENT_HASH_DOMAIN)
    .text(String(fields.seq))
    .bytes(fields.prevHash)
    .text(fields.time.toISOString())
    .text(fields.service)
    .optionalText(fields.actor)
    .text(fields.action)
    .optionalText(fields.target)
    .text(fields.outcome)
    .text(fields.details)
    .encode();
  return createHash('sha256').update(encoded).digest();
}
