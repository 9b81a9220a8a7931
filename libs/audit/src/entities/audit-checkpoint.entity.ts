import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint-number.transformer';

/**
 * A signed seal over the audit log up to `seq`: the HSM key signs the head hash at that seq and the previous
 * checkpoint's hash (checkpoint-signature.ts), so checkpoints form a chain of their own and deleting the tail
 * of the log, or a checkpoint, is detected. At most one checkpoint per seq.
 */
@Entity({ name: 'audit_checkpoint' })
export class AuditCheckpoint {
  /** The last audit_event.seq this checkpoint seals. */
  @PrimaryColumn({ type: 'bigint', transformer: BIGINT_AS_NUMBER, primaryKeyConstraintName: 'audit_checkpoint_pkey' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  time!: Date;

  /** audit_event.hash of entry `seq`. */
  @Column({ name: 'head_hash', type: 'bytea' })
  headHash!: Buffer;

  /** `hash` of the previous checkpoint; 32 zero bytes for the first. */
  @Column({ name: 'prev_checkpoint_hash', type: 'bytea' })
  prevCheckpointHash!: Buffer;

  /** SHA-256 of the signed payload. */
  @Column({ type: 'bytea' })
  hash!: Buffer;

  /** DER ECDSA-Sig-Value over the payload. */
  @Column({ type: 'bytea' })
  signature!: Buffer;

  /** PKCS#11 URI of the signing key (informational; trust comes from the public key). */
  @Column({ name: 'signer_key_uri', type: 'varchar', length: 512 })
  signerKeyUri!: string;

  /** DER SubjectPublicKeyInfo of the signing key. */
  @Column({ name: 'signer_spki', type: 'bytea' })
  signerSpki!: Buffer;
}
