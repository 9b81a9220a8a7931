import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint-number.transformer';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One entry of the hash-chained audit log. `seq` is assigned by the chain (1, 2, 3, ... without gaps, under the
 * lock on the audit_head row), and `hash` covers every other column plus the previous entry's hash
 * (event-hash.ts), so editing, deleting or inserting a row breaks the chain.
 *
 * Binary columns are declared `bytea` and instants `timestamptz`; SQLite gets `blob` and `datetime`
 * (libs/persistence dialect-columns.ts). This module imports only typeorm (see platform-entities.ts).
 */
@Entity({ name: 'audit_event' })
@Check('audit_event_outcome', `"outcome" IN ('success', 'failure', 'denied')`)
@Index('audit_event_time', ['time'])
// Finding the latest event of a kind (the previous start's configuration, a key's last export) without a scan.
@Index('audit_event_action', ['action', 'seq'])
export class AuditEvent {
  @PrimaryColumn({ type: 'bigint', transformer: BIGINT_AS_NUMBER, primaryKeyConstraintName: 'audit_event_pkey' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  time!: Date;

  /** The service that recorded the event (root-ca, sub-ca, skm, directory, ...). */
  @Column({ type: 'varchar', length: 64 })
  service!: string;

  /** Who acted: a certificate subject, a user, `system`; null when unknown (e.g. an unauthenticated request). */
  @Column({ type: 'varchar', length: 256, nullable: true })
  actor!: string | null;

  /** What happened, e.g. `key.created`, `certificate.issued`, `auth.login`, `request.refused`. */
  @Column({ type: 'varchar', length: 128 })
  action!: string;

  /** What it happened to: a key URI, a certificate serial, a configuration key. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  target!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  /**
   * Canonical JSON (sorted keys, no whitespace) exactly as hashed. Kept as text rather than json/jsonb so the
   * database never re-serialises it: the verifier hashes the stored bytes.
   */
  @Column({ type: 'text' })
  details!: string;

  @Column({ name: 'prev_hash', type: 'bytea' })
  prevHash!: Buffer;

  @Column({ type: 'bytea' })
  hash!: Buffer;
}
