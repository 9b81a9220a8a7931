/**
 * One UPDATE for many key rows changing owner (provider change): each row gets its own new blob, and only if it is
 * still where it was read (giving tenant, same master version). TypeORM's update() is one statement per row, whose
 * building costs more than the HSM re-wrap it records; here CASE expressions carry the rows, with the driver's own
 * placeholders. Same SQL on SQLite and PostgreSQL.
 */
import type { EntityManager } from 'typeorm';

export interface KeyRowMove {
  id: string;
  /** Before: the master version the row was read with. */
  fromMasterVersion: number;
  wrapped: string | null;
  masterVersion: number;
}

/** 7 parameters a row: far below the bind limits of both databases. */
const ROWS_PER_STATEMENT = 1000;

/** Moves the rows to `toTenantId`; answers how many matched (fewer than given: some changed meanwhile). */
export async function moveKeyRows(manager: EntityManager, fromTenantId: string, toTenantId: string, moves: readonly KeyRowMove[]): Promise<number> {
  const postgres = manager.connection.driver.options.type === 'postgres';
  // The caller's transaction; its runner answers the affected row count for both drivers (structured result).
  const runner = manager.queryRunner;
  if (!runner) throw new Error('moveKeyRows runs inside a transaction');
  let matched = 0;
  for (let start = 0; start < moves.length; start += ROWS_PER_STATEMENT) {
    const chunk = moves.slice(start, start + ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    // Parameters in the order they appear in the SQL text: SQLite's `?` are positional.
    const next = (value: unknown): string => {
      values.push(value);
      return postgres ? `$${values.length}` : '?';
    };
    // CASE over the ids, WHERE id IN (...): the primary key finds the rows (an UPDATE ... FROM a VALUES list made
    // SQLite scan the whole table once per statement).
    const wrapped = chunk.map((move) => `WHEN ${next(move.id)} THEN ${next(move.wrapped)}`).join(' ');
    const toVersion = chunk.map((move) => `WHEN ${next(move.id)} THEN CAST(${next(move.masterVersion)} AS integer)`).join(' ');
    const toTenant = next(toTenantId);
    const ids = chunk.map((move) => next(move.id)).join(', ');
    const fromTenant = next(fromTenantId);
    const fromVersion = chunk.map((move) => `WHEN ${next(move.id)} THEN CAST(${next(move.fromMasterVersion)} AS integer)`).join(' ');
    const sql =
      `UPDATE skm_meter_key SET wrapped = CASE id ${wrapped} END, master_version = CASE id ${toVersion} END, tenant_id = ${toTenant} ` +
      // `tenant_id || ''`: keeps SQLite off the (tenant_id, master_version) index, which made it walk every row of the
      // giving tenant per statement; the primary key (id IN) is the way in, on both databases.
      `WHERE id IN (${ids}) AND (tenant_id || '') = ${fromTenant} AND master_version = CASE id ${fromVersion} END`;
    const result = await runner.query(sql, values, true);
    matched += result.affected ?? 0;
  }
  return matched;
}
