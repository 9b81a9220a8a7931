/**
 * What the SKM already holds for meters about to receive imported keys: read for a whole batch in one query (one
 * round trip per 1000 meters instead of one per key), then judged per key.
 */
import { In, type DataSource } from 'typeorm';
import { SkmMeterKey, type MeterKeyKind, type SkmTenant } from '../entities';

/** Meter ids per IN list: far below the bind limits of SQLite and PostgreSQL. */
const METERS_PER_QUERY = 1000;

export function heldKey(meterId: string, kind: MeterKeyKind | string): string {
  return `${meterId}/${kind}`;
}

/** Every key row (any tenant, any state) of the meters, by `meterId/kind`. */
export async function keyRowsOf(dataSource: DataSource, meterIds: readonly string[]): Promise<Map<string, SkmMeterKey[]>> {
  const unique = [...new Set(meterIds)];
  const held = new Map<string, SkmMeterKey[]>();
  for (let at = 0; at < unique.length; at += METERS_PER_QUERY) {
    const rows = await dataSource.getRepository(SkmMeterKey).find({ where: { meterId: In(unique.slice(at, at + METERS_PER_QUERY)) } });
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
