import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint-number.transformer';

/** The id of the only audit_head row. */
export const AUDIT_HEAD_ID = 1;

/**
 * The single row that serialises appenders: every append locks it (PostgreSQL `SELECT ... FOR UPDATE`, SQLite
 * the write transaction), takes `lastSeq + 1` and the previous hash from it and updates it in the same
 * transaction, so replicas and processes sharing the database extend one gap-free chain.
 * It also records the last checkpoint, so a deleted checkpoint or tail is noticed even before the next one.
 */
@Entity({ name: 'audit_head' })
@Check('audit_head_single_row', `"id" = ${AUDIT_HEAD_ID}`)
export class AuditHead {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'audit_head_pkey' })
  id!: number;

  @Column({ name: 'last_seq', type: 'bigint', transformer: BIGINT_AS_NUMBER })
  lastSeq!: number;

  @Column({ name: 'last_hash', type: 'bytea' })
  lastHash!: Buffer;

  @Column({ name: 'checkpoint_seq', type: 'bigint', transformer: BIGINT_AS_NUMBER })
  checkpointSeq!: number;

  @Column({ name: 'checkpoint_hash', type: 'bytea' })
  checkpointHash!: Buffer;
}
