/**
 * Meter-key rows and the tenant master they are wrapped under. Every row records its master version, so a reader
 * uses the right master while a rotation moves rows from the old one to the new one.
 */
import { HsmError, type KeyManager, type WrappedKey } from '@smpki/hsm';
import type { DataSource, EntityManager } from 'typeorm';
import { SkmMeterKey, SkmTenant } from '../entities';
import { masterKeyUri, writeVersion, type SkmKeyNames } from './skm-key-names';

export class TenantMasters {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    readonly names: SkmKeyNames,
  ) {}

  /** The row's key as an operation input: its blob under the master version the row records. */
  wrappedOf(tenant: Pick<SkmTenant, 'marketPartnerId'>, row: SkmMeterKey): WrappedKey {
    return { wrappingKeyUri: masterKeyUri(this.names, tenant, row.masterVersion), wrapped: Buffer.from(row.wrapped!, 'hex') };
  }

  /**
   * Runs `use` with the row's wrapped key. A master rotation may move the row and destroy the old master between
   * the read and the HSM call: then the row is read again and `use` runs once more, under the new master.
   */
  async withRowKey<T>(tenant: SkmTenant, row: SkmMeterKey, use: (key: WrappedKey) => Promise<T>): Promise<T> {
    try {
      return await use(this.wrappedOf(tenant, row));
    } catch (error) {
      if (!(error instanceof HsmError) || error.code !== 'not-found') throw error;
      const fresh = await this.dataSource.getRepository(SkmMeterKey).findOneOrFail({ where: { id: row.id } });
      if (fresh.masterVersion === row.masterVersion || fresh.wrapped === null) throw error;
      Object.assign(row, { wrapped: fresh.wrapped, masterVersion: fresh.masterVersion });
      return use(this.wrappedOf(tenant, row));
    }
  }

  /** A blob under the tenant's current write version (the rotation's target while one runs). */
  async underWriteVersion(manager: EntityManager, tenantId: string, key: WrappedKey): Promise<{ wrapped: string; masterVersion: number }> {
    return this.underTarget(await this.writeTarget(manager, tenantId), key);
  }

  /** A blob under `target` (a write target read by the caller), re-wrapped in the HSM when it is under another key. */
  async underTarget(target: { uri: string; version: number }, key: WrappedKey): Promise<{ wrapped: string; masterVersion: number }> {
    const moved = key.wrappingKeyUri === target.uri ? key : await this.keys.rewrapKey(key, target.uri);
    return { wrapped: moved.wrapped.toString('hex'), masterVersion: target.version };
  }

  /** The tenant's write master (URI and version), read inside the writer's transaction. */
  async writeTarget(manager: EntityManager, tenantId: string): Promise<{ uri: string; version: number }> {
    // Read inside the writer's transaction: a rotation that started after the key was wrapped is seen here.
    const tenant = await manager.findOneOrFail(SkmTenant, { where: { id: tenantId } });
    const version = writeVersion(tenant);
    return { uri: masterKeyUri(this.names, tenant, version), version };
  }

  /** Where freshly generated keys of the tenant are wrapped. */
  writeUri(tenant: SkmTenant): string {
    return masterKeyUri(this.names, tenant, writeVersion(tenant));
  }
}
