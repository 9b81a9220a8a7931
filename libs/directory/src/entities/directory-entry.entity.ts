import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const DIRECTORY_ENTRY_KINDS = ['ca', 'certificate'] as const;
export type DirectoryEntryKind = (typeof DIRECTORY_ENTRY_KINDS)[number];

/**
 * One published LDAP entry: a CA (its certificate, current CRL and delta CRL) or an end entity / meter (its
 * certificate). The DN is the key of the idempotent ingest; `version` (the publisher's time of the object) orders
 * the updates of one entry, so a retried or reordered older update never overwrites a newer one.
 *
 * This module imports only typeorm (see libs/persistence/src/platform-entities.ts).
 */
@Entity({ name: 'directory_entry' })
@Check('directory_entry_kind', `"kind" IN ('ca', 'certificate')`)
// DNs compare case-insensitively: dn_key is the canonical lowercase form every lookup uses.
@Index('directory_entry_dn_key', ['dnKey'], { unique: true })
// One-level searches list the children of an entry.
@Index('directory_entry_parent_key', ['parentKey'])
// Filters on cn and serialNumber compare case-insensitively (caseIgnoreMatch): they narrow on the lowercase keys.
@Index('directory_entry_meter_id_key', ['meterIdKey'])
@Index('directory_entry_cn_key', ['commonNameKey'])
@Index('directory_entry_serial', ['serial'])
@Index('directory_entry_fingerprint', ['fingerprint'])
// The HTTP distribution finds a CA entry by its instance name.
@Index('directory_entry_ca_kind', ['ca', 'kind'])
export class DirectoryEntry {
  /** The DN as published (RFC 4514). */
  @PrimaryColumn({ type: 'varchar', length: 512, primaryKeyConstraintName: 'directory_entry_pkey' })
  dn!: string;

  @Column({ name: 'dn_key', type: 'varchar', length: 512 })
  dnKey!: string;

  @Column({ name: 'parent_key', type: 'varchar', length: 512 })
  parentKey!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: DirectoryEntryKind;

  /** Name of the CA instance that issued (or, for a CA entry, is) this entry. */
  @Column({ type: 'varchar', length: 64 })
  ca!: string;

  /** Null only for a CA entry whose CRL arrived before its certificate. */
  @Column({ type: 'bytea', nullable: true })
  certificate!: Buffer | null;

  /** CA entries: the current full CRL (DER) and its number. */
  @Column({ type: 'bytea', nullable: true })
  crl!: Buffer | null;

  @Column({ name: 'crl_number', type: 'integer', nullable: true })
  crlNumber!: number | null;

  @Column({ name: 'crl_updated_at', type: 'timestamptz', nullable: true })
  crlUpdatedAt!: Date | null;

  @Column({ name: 'delta_crl', type: 'bytea', nullable: true })
  deltaCrl!: Buffer | null;

  @Column({ name: 'delta_crl_number', type: 'integer', nullable: true })
  deltaCrlNumber!: number | null;

  /** Certificate serial number, lowercase hex. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  serial!: string | null;

  /** SHA-256 of the certificate DER, lowercase hex. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  fingerprint!: string | null;

  @Column({ name: 'common_name', type: 'varchar', length: 128, nullable: true })
  commonName!: string | null;

  @Column({ name: 'meter_id', type: 'varchar', length: 32, nullable: true })
  meterId!: string | null;

  /** `commonName` and `meterId` lowercased: what LDAP equality filters (caseIgnoreMatch) are looked up by. */
  @Column({ name: 'common_name_key', type: 'varchar', length: 128, nullable: true })
  commonNameKey!: string | null;

  @Column({ name: 'meter_id_key', type: 'varchar', length: 32, nullable: true })
  meterIdKey!: string | null;

  @Column({ type: 'boolean' })
  revoked!: boolean;

  /** The certificate's (ca entries: the CA certificate's) version, as published. */
  @Column({ type: 'timestamptz' })
  version!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
