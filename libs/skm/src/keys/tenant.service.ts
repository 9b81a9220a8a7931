/**
 * Tenants (metering service providers) and the callers that act for them. Creating a tenant generates its first
 * master key in the HSM: AES, wrap/unwrap only, never extractable (not even wrapped), so a meter key of the tenant
 * can be used or moved only inside the token.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { isUniqueViolation } from '@smpki/ca';
import { HsmError, type AesKeyBits, type KeyManager } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { SkmTenant, SkmTenantMember } from '../entities';
import { masterKeyUri, type SkmKeyNames } from './skm-key-names';
import { memberTaken, notTenantMember, tenantTaken, unknownTenant } from './skm-problems';

export interface NewTenant {
  name: string;
  /** 13 digits. */
  marketPartnerId: string;
  /** Default 256. */
  masterBits?: AesKeyBits;
}

export const MASTER_KEY_USAGES = ['wrap', 'unwrap'] as const;

export class TenantService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly names: SkmKeyNames,
  ) {}

  /** 409 when the market-partner id is another tenant's. The master key is created before the row, then recorded. */
  async create(input: NewTenant, requester: string): Promise<SkmTenant> {
    await this.refuseTaken(input.marketPartnerId);
    const now = new Date();
    const tenant = Object.assign(new SkmTenant(), {
      id: randomUUID(),
      name: input.name,
      marketPartnerId: input.marketPartnerId,
      masterBits: input.masterBits ?? 256,
      masterVersion: 1,
      rotatingToVersion: null,
      createdAt: now,
      updatedAt: now,
    });
    const masterUri = masterKeyUri(this.names, tenant, 1);
    try {
      await this.keys.createAesKey(masterUri, { bits: tenant.masterBits as AesKeyBits, usages: [...MASTER_KEY_USAGES], wrappable: false });
    } catch (error) {
      // Another administrator creating the same tenant at this moment made the master first.
      if (error instanceof HsmError && error.code === 'exists') throw tenantTaken(input.marketPartnerId);
      throw error;
    }
    try {
      await runInTransaction(this.dataSource, async (manager) => {
        await manager.insert(SkmTenant, tenant);
        await this.audit.append(
          { action: 'skm.tenant.create', outcome: 'success', actor: requester, target: `skm-tenant/${tenant.id}`, details: { name: tenant.name, marketPartnerId: tenant.marketPartnerId, masterKeyUri: masterUri, masterBits: tenant.masterBits } },
          manager,
        );
      });
    } catch (error) {
      // Two administrators creating the same tenant at once: the loser's master key is the winner's (same URI).
      if (isUniqueViolation(error)) throw tenantTaken(input.marketPartnerId);
      await this.keys.destroyKey(masterUri).catch(() => undefined);
      throw error;
    }
    return tenant;
  }

  list(): Promise<SkmTenant[]> {
    return this.dataSource.getRepository(SkmTenant).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  /** 404 `tenant.unknown`. */
  async get(id: string, field = 'id'): Promise<SkmTenant> {
    const tenant = await this.dataSource.getRepository(SkmTenant).findOne({ where: { id } });
    if (!tenant) throw unknownTenant(field, id);
    return tenant;
  }

  /** 404 `tenant.unknown`. */
  async byMarketPartnerId(marketPartnerId: string, field = 'marketPartnerId'): Promise<SkmTenant> {
    const tenant = await this.dataSource.getRepository(SkmTenant).findOne({ where: { marketPartnerId } });
    if (!tenant) throw unknownTenant(field, marketPartnerId);
    return tenant;
  }

  /** Binds a caller's subject to the tenant; a subject acts for one tenant only (409 otherwise). */
  async addMember(tenantId: string, subject: string, requester: string): Promise<SkmTenantMember> {
    const tenant = await this.get(tenantId);
    const member = Object.assign(new SkmTenantMember(), { subject, tenantId: tenant.id, createdAt: new Date() });
    try {
      await runInTransaction(this.dataSource, async (manager) => {
        await manager.insert(SkmTenantMember, member);
        await this.audit.append({ action: 'skm.tenant.member.add', outcome: 'success', actor: requester, target: `skm-tenant/${tenant.id}`, details: { subject } }, manager);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw memberTaken(subject);
      throw error;
    }
    return member;
  }

  /** The tenant a caller acts for; 403 `tenant.member-required` when its subject is bound to none. */
  async tenantOf(subject: string): Promise<SkmTenant> {
    const member = await this.dataSource.getRepository(SkmTenantMember).findOne({ where: { subject } });
    if (!member) throw notTenantMember(subject);
    return this.get(member.tenantId);
  }

  private async refuseTaken(marketPartnerId: string): Promise<void> {
    if (await this.dataSource.getRepository(SkmTenant).exists({ where: { marketPartnerId } })) throw tenantTaken(marketPartnerId);
  }
}
