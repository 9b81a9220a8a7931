/**
 * What the SKM already holds for meters about to receive imported keys: read for a whole batch in one query (one
 * round trip per 1000 meters instead of one per key), then judged per key.
 */
import { databaseDialect } from '@smpki/persistence';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { SkmMeterKey, type MeterKeyKind, type SkmTenant } from '../entities';

/** Meter ids per query: far below the bind limits of SQLite (one parameter each); PostgreSQL gets one array. */
const METERS_PER_QUERY = 1000;

export function heldKey(meterId: string, kind: MeterKeyKind | string): string {
  return `${meterId}/${kind}`;
}

/**
 * The key rows of the given meters (`key` is the alias). PostgreSQL gets the ids as one array parameter
 * (`= ANY`, the (meter_id, kind, version) or (tenant_id, meter_id) index): no statement of 1000 placeholders to
 * build, send and parse. SQLite has no arrays: an IN list.
 */
export function keyRowsQuery(source: DataSource | EntityManager, meterIds: readonly string[]): SelectQueryBuilder<SkmMeterKey> {
  const query = source.getRepository(SkmMeterKey).createQueryBuilder('key');
  return databaseDialect(source) === 'postgres'
    ? query.where('key.meterId = ANY(:meterIds)', { meterIds })
    : query.where('key.meterId IN (:...meterIds)', { meterIds });
}

/** Every key row (any tenant, any state) of the meters, by `meterId/kind`. */
export async function keyRowsOf(dataSource: DataSource, meterIds: readonly string[]): Promise<Map<string, SkmMeterKey[]>> {
  const unique = [...new Set(meterIds)];
  const held = new Map<string, SkmMeterKey[]>();
  for (let at = 0; at < unique.length; at += METERS_PER_QUERY) {
    const rows = await keyRowsQuery(dataSource, unique.slice(at, at + METERS_PER_QUERY)).getMany();
    for (const row of rows) {
      const id = heldKey(row.meterId, row.kind);
      held.set(id, [...(held.get(id) ?? []), row]);
    }
  }
  return held;
}

/**
 * A key the tenant already holds with the same KCV is `existing` (a re-sent shipment is harmless); any other key
 * of that meter and kind, in any tenant or state, makes the import `exists` (refused: rotate instead).
 */
export function heldStatus(tenant: Pick<SkmTenant, 'id'>, rows: readonly SkmMeterKey[], kcv: string): 'imported' | 'existing' | 'exists' {
  if (rows.some((row) => row.kcv === kcv && row.tenantId === tenant.id && row.state !== 'destroyed')) return 'existing';
  return rows.length > 0 ? 'exists' : 'imported';
}
