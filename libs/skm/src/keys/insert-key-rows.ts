/**
 * Stores many new meter-key rows (a shipment slice, a bulk import). PostgreSQL gets one array per column and one
 * `INSERT ... SELECT * FROM unnest(...)`: 15 parameters per statement whatever the number of rows, where the
 * multi-row VALUES of insertRows binds 15 per row, which the server parses and plans at about twice the cost (and
 * splits at 500 rows). SQLite has no arrays: insertRows.
 */
import { databaseDialect, insertRows } from '@smpki/persistence';
import type { EntityManager } from 'typeorm';
import { SkmMeterKey } from '../entities';

export async function insertKeyRows(manager: EntityManager, rows: readonly SkmMeterKey[]): Promise<void> {
  if (rows.length === 0) return;
  if (databaseDialect(manager) !== 'postgres') return insertRows(manager, SkmMeterKey, rows);
  const driver = manager.connection.driver;
  const columns = manager.connection.getMetadata(SkmMeterKey).columns;
  // The column's own type (character varying, integer, timestamp with time zone) and the driver's value
  // conversion, as insertRows uses: the rows stored are those `manager.insert` would store.
  const arrays = columns.map((column) => rows.map((row) => driver.preparePersistentValue(column.getEntityValue(row), column)));
  const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  const unnested = columns.map((column, index) => `$${index + 1}::${driver.normalizeType(column)}[]`).join(', ');
  await manager.query(`INSERT INTO ${driver.escape('skm_meter_key')} (${names}) SELECT * FROM unnest(${unnested})`, arrays);
}
