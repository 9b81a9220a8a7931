/**
 * Provider change (issue 6 item 7): the keys of a set of meters move from one tenant to another. Each key is
 * re-wrapped inside the HSM from the old tenant's master to the new tenant's, never in clear, and the rows change
 * owner in one transaction with one audit event: all meters move or none does.
 */
import type { AuditTrail } from '@smpki/audit';
import { HsmError, type KeyManager, type WrappedKey } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { SkmMeterKey, type SkmTenant } from '../entities';
import { keyRowsQuery } from './held-keys';
import { normaliseMeterId } from './meter-key-input';
import { moveKeyRows } from './move-key-rows';
import { changedMeanwhile, duplicateMeter, sameTenant, unknownMeter } from './skm-problems';
import type { TenantMasters } from './tenant-master';

export interface ProviderChangeResult {
  meters: number;
  keys: number;
}

/** At most this many meters per call: one transaction, one audit event that lists them all (within its size limit). */
export const MAX_PROVIDER_CHANGE_METERS = 500;

export class ProviderChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly masters: TenantMasters,
  ) {}

  /**
   * 404 `meter.unknown` naming the first meter `from` holds no key of; nothing moves then. The rows are read and
   * re-wrapped before the transaction opens, so the HSM work of one call overlaps the database work of another
   * (the provider-change workflow sends calls of 500 meters) and the transaction stays short; the conditional
   * UPDATE inside it moves a row only if it is still where it was read, and any difference refuses the call (409).
   */
  async transfer(from: SkmTenant, to: SkmTenant, meterIdsInput: readonly string[], requester: string): Promise<ProviderChangeResult> {
    if (from.id === to.id) throw sameTenant();
    const meterIds = uniqueMeterIds(meterIdsInput);
    const rows = await heldBy(this.dataSource, from, meterIds).select(['key.id', 'key.meterId', 'key.wrapped', 'key.masterVersion']).getMany();
    const held = new Set(rows.map((row) => row.meterId));
    const missing = meterIds.find((meterId) => !held.has(meterId));
    if (missing !== undefined) throw unknownMeter(missing, 'meterIds');
    const wrappedFor = await this.masters.writeTarget(this.dataSource.manager, to.id);
    const early = await this.rewrapped(from, rows, wrappedFor);
    return runInTransaction(this.dataSource, async (manager) => {
      const target = await this.masters.writeTarget(manager, to.id);
      // The receiver started a master rotation meanwhile: its new keys go under the rotation's target.
      const moves = target.version === wrappedFor.version ? early : await this.rewrapped(from, rows, target);
      const moved = await moveKeyRows(manager, from.id, to.id, rows.map((row, index) => ({ id: row.id, fromMasterVersion: row.masterVersion, ...moves[index]! })));
      // A concurrent master rotation moved a row between the read and the update: refuse the whole call.
      if (moved !== rows.length) throw changedMeanwhile(await this.firstChanged(manager, to.id, rows));
      // A key version created for one of the meters since the read (a rotation) must not stay behind.
      // No LIMIT 1: without fresh statistics it made PostgreSQL expect an early match and scan the whole table.
      const [left] = await heldBy(manager, from, meterIds).select(['key.meterId']).getMany();
      if (left) throw changedMeanwhile(left.meterId);
      await this.audit.append(
        { action: 'skm.provider-change', outcome: 'success', actor: requester, target: `skm-tenant/${from.id}`, details: { fromTenant: from.marketPartnerId, toTenant: to.marketPartnerId, toTenantId: to.id, meters: meterIds.length, keys: moved, meterIds } },
        manager,
      );
      return { meters: meterIds.length, keys: moved };
    });
  }

  /** Every re-wrap at once: the key manager spreads them over its HSM workers. */
  private rewrapped(from: SkmTenant, rows: readonly SkmMeterKey[], target: { uri: string; version: number }) {
    return Promise.all(rows.map((row) => this.moved(from, row, target)));
  }

  /** The meter of the first row the UPDATE did not move (read inside the transaction that is then rolled back). */
  private async firstChanged(manager: EntityManager, toTenantId: string, rows: readonly SkmMeterKey[]): Promise<string> {
    const movedIds = new Set((await manager.find(SkmMeterKey, { where: { id: In(rows.map((row) => row.id)), tenantId: toTenantId } })).map((row) => row.id));
    return (rows.find((row) => !movedIds.has(row.id)) ?? rows[0]!).meterId;
  }

  /** The row's blob re-wrapped under the receiving tenant's master; a destroyed key (no blob) only changes owner. */
  private async moved(from: SkmTenant, row: SkmMeterKey, target: { uri: string; version: number }): Promise<{ wrapped: string | null; masterVersion: number }> {
    if (row.wrapped === null) return { wrapped: null, masterVersion: row.masterVersion };
    let key: WrappedKey;
    try {
      key = await this.keys.rewrapKey(this.masters.wrappedOf(from, row), target.uri);
    } catch (error) {
      // The giver's master rotation finished (old master destroyed) between the read and the re-wrap.
      if (error instanceof HsmError && error.code === 'not-found') throw changedMeanwhile(row.meterId);
      throw error;
    }
    return { wrapped: key.wrapped.toString('hex'), masterVersion: target.version };
  }
}

/**
 * The giving tenant's key rows of the meters (at most MAX_PROVIDER_CHANGE_METERS: one query). `tenant_id || ''`
 * keeps the query on the meter-id index: through the tenant's own indexes PostgreSQL, with statistics older than a
 * bulk load, walked every row of the giving tenant (EXPLAIN: 50,000 rows for 500 meters). Same form on SQLite.
 */
function heldBy(source: DataSource | EntityManager, from: SkmTenant, meterIds: readonly string[]) {
  return keyRowsQuery(source, meterIds).andWhere("(key.tenantId || '') = :fromTenantId", { fromTenantId: from.id });
}

function uniqueMeterIds(input: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of input) {
    const meterId = normaliseMeterId(raw);
    if (seen.has(meterId)) throw duplicateMeter(meterId);
    seen.add(meterId);
  }
  return [...seen];
}
