import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Binds a caller (token `sub` or client-certificate subject DN) to the tenant it acts for. A caller has at most one
 * tenant: every key command is scoped to it, so one provider's staff never reach another provider's keys.
 *
 * This module imports only typeorm (see libs/persistence/src/platform-entities.ts).
 */
@Entity({ name: 'skm_tenant_member' })
@Index('skm_tenant_member_tenant', ['tenantId'])
export class SkmTenantMember {
  /** The principal's subject, exactly as the access guard reports it. */
  @PrimaryColumn({ type: 'varchar', length: 256, primaryKeyConstraintName: 'skm_tenant_member_pkey' })
  subject!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
