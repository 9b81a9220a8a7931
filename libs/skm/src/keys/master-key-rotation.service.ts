/**
 * Master-key rotation of a tenant, without downtime: a new master version is generated, new keys are wrapped under
 * it at once, and the existing rows are re-wrapped from the old master to the new one in batches inside the HSM
 * (each row records its version, so readers keep working throughout). Once no row is left under the old master the
 * tenant switches over and the old master is destroyed. An interrupted rotation resumes where it stopped.
 */
import type { AuditTrail } from '@smpki/audit';
import { HsmError, type AesKeyBits, type KeyManager } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import { IsNull, MoreThan, Not, type DataSource } from 'typeorm';
import { SkmMeterKey, SkmTenant } from '../entities';
import { masterKeyUri, type SkmKeyNames } from './skm-key-names';
import { MASTER_KEY_USAGES } from './tenant.service';

export interface MasterRotationResult {
  fromVersion: number;
  toVersion: number;
  rewrapped: number;
}

export const DEFAULT_ROTATION_BATCH = 500;

export class MasterKeyRotationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly names: SkmKeyNames,
    private readonly batchSize = DEFAULT_ROTATION_BATCH,
  ) {}

  async rotate(tenantId: string, requester: string): Promise<MasterRotationResult> {
    const { tenant, toVersion } = await this.begin(tenantId, requester);
    const fromVersion = tenant.masterVersion;
    let rewrapped = 0;
    for (;;) {
      rewrapped += await this.rewrapRemaining(tenant, toVersion);
      if (await this.finish(tenant, fromVersion, toVersion, rewrapped, requester)) break;
    }
    // Every row is under the new master: the old one can go (its destruction is audited by the key manager).
    await this.keys.destroyKey(masterKeyUri(this.names, tenant, fromVersion));
    return { fromVersion, toVersion, rewrapped };
  }

  /** Creates the new master and records it as the write version; a rotation already under way is resumed. */
  private async begin(tenantId: string, requester: string): Promise<{ tenant: SkmTenant; toVersion: number }> {
    const tenant = await this.dataSource.getRepository(SkmTenant).findOneOrFail({ where: { id: tenantId } });
    const toVersion = tenant.rotatingToVersion ?? tenant.masterVersion + 1;
    const uri = masterKeyUri(this.names, tenant, toVersion);
    try {
      await this.keys.createAesKey(uri, { bits: tenant.masterBits as AesKeyBits, usages: [...MASTER_KEY_USAGES], wrappable: false });
    } catch (error) {
      // Resuming: the new master was created before the interruption.
      if (!(error instanceof HsmError && error.code === 'exists' && tenant.rotatingToVersion === toVersion)) throw error;
    }
    if (tenant.rotatingToVersion === null) {
      await runInTransaction(this.dataSource, async (manager) => {
        await manager.update(SkmTenant, { id: tenant.id }, { rotatingToVersion: toVersion, updatedAt: new Date() });
        await this.audit.append(
          { action: 'skm.master.rotate.start', outcome: 'success', actor: requester, target: `skm-tenant/${tenant.id}`, details: { fromVersion: tenant.masterVersion, toVersion, masterKeyUri: uri } },
          manager,
        );
      });
    }
    return { tenant, toVersion };
  }

  /** Re-wraps every row not yet under `toVersion`, a batch at a time; returns how many it moved. */
  private async rewrapRemaining(tenant: SkmTenant, toVersion: number): Promise<number> {
    const target = masterKeyUri(this.names, tenant, toVersion);
    const repository = this.dataSource.getRepository(SkmMeterKey);
    let moved = 0;
    let after = '';
    for (;;) {
      const rows = await repository.find({
        where: { tenantId: tenant.id, masterVersion: Not(toVersion), wrapped: Not(IsNull()), ...(after ? { id: MoreThan(after) } : {}) },
        order: { id: 'ASC' },
        take: this.batchSize,
      });
      if (rows.length === 0) return moved;
      after = rows[rows.length - 1]!.id;
      const rewrapped = await Promise.all(rows.map((row) => this.keys.rewrapKey({ wrappingKeyUri: masterKeyUri(this.names, tenant, row.masterVersion), wrapped: Buffer.from(row.wrapped!, 'hex') }, target)));
      await runInTransaction(this.dataSource, async (manager) => {
        for (const [index, row] of rows.entries()) {
          // Conditional: a row destroyed or moved meanwhile (provider change) is left as it now is.
          const result = await manager.update(SkmMeterKey, { id: row.id, masterVersion: row.masterVersion, wrapped: row.wrapped!, tenantId: tenant.id }, { wrapped: rewrapped[index]!.wrapped.toString('hex'), masterVersion: toVersion });
          moved += result.affected ?? 0;
        }
      });
    }
  }

  /** Switches the tenant to the new master when no row is left under an older one; false: go round again. */
  private finish(tenant: SkmTenant, fromVersion: number, toVersion: number, rewrapped: number, requester: string): Promise<boolean> {
    return runInTransaction(this.dataSource, async (manager) => {
      const left = await manager.count(SkmMeterKey, { where: { tenantId: tenant.id, masterVersion: Not(toVersion), wrapped: Not(IsNull()) } });
      if (left > 0) return false;
      await manager.update(SkmTenant, { id: tenant.id }, { masterVersion: toVersion, rotatingToVersion: null, updatedAt: new Date() });
      await this.audit.append({ action: 'skm.master.rotate', outcome: 'success', actor: requester, target: `skm-tenant/${tenant.id}`, details: { fromVersion, toVersion, rewrapped } }, manager);
      return true;
    });
  }
}
