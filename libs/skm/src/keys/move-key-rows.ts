/**
 * One UPDATE for many key rows changing owner (provider change): each row gets its own new blob, and only if it is
 * still where it was read (giving tenant, same master version). TypeORM's update() is one statement per row, whose
 * building costs more than the HSM re-wrap it records. PostgreSQL gets the rows as four arrays joined by
 * `unnest` (six parameters, whatever the batch); SQLite, which has no arrays, gets CASE expressions over the ids.
 */
import type { EntityManager, QueryRunner } from 'typeorm';

export interface KeyRowMove {
  id: string;
  /** Before: the master version the row was read with. */
  fromMasterVersion: number;
  wrapped: string | null;
  masterVersion: number;
}

/** SQLite: 7 parameters a row, far below its bind limit. */
const SQLITE_ROWS_PER_STATEMENT = 1000;

/** Moves the rows to `toTenantId`; answers how many matched (fewer than given: some changed meanwhile). */
export async function moveKeyRows(manager: EntityManager, fromTenantId: string, toTenantId: string, moves: readonly KeyRowMove[]): Promise<number> {
  // The caller's transaction; its runner answers the affected row count for both drivers (structured result).
  const runner = manager.queryRunner;
  if (!runner) throw new Error('moveKeyRows runs inside a transaction');
  if (moves.length === 0) return 0;
  if (manager.connection.driver.options.type === 'postgres') return moveOnPostgres(runner, fromTenantId, toTenantId, moves);
  let matched = 0;
  for (let start = 0; start < moves.length; start += SQLITE_ROWS_PER_STATEMENT) {
    matched += await moveOnSqlite(runner, fromTenantId, toTenantId, moves.slice(start, start + SQLITE_ROWS_PER_STATEMENT));
  }
  return matched;
}

/**
 * The primary key finds each row (EXPLAIN: Nested Loop over the unnested arrays, Index Scan using
 * skm_meter_key_pkey); half the server time of the CASE form, whose every row evaluates CASEs of 500 branches.
 */
async function moveOnPostgres(runner: QueryRunner, fromTenantId: string, toTenantId: string, moves: readonly KeyRowMove[]): Promise<number> {
  const sql =
    'UPDATE skm_meter_key AS k SET wrapped = m.wrapped, master_version = m.to_version, tenant_id = $5 ' +
    'FROM unnest($1::varchar[], $2::varchar[], $3::integer[], $4::integer[]) AS m(id, wrapped, to_version, from_version) ' +
    // `tenant_id || ''` as on SQLite: without it PostgreSQL, with statistics from before a bulk load, hashed every
    // row of the giving tenant (via the (tenant_id, master_version) index) for each statement.
    "WHERE k.id = m.id AND (k.tenant_id || '') = $6 AND k.master_version = m.from_version";
  const values = [moves.map((move) => move.id), moves.map((move) => move.wrapped), moves.map((move) => move.masterVersion), moves.map((move) => move.fromMasterVersion), toTenantId, fromTenantId];
  const result = await runner.query(sql, values, true);
  return result.affected ?? 0;
}

async function moveOnSqlite(runner: QueryRunner, fromTenantId: string, toTenantId: string, chunk: readonly KeyRowMove[]): Promise<number> {
  const values: unknown[] = [];
  // Parameters in the order they appear in the SQL text: SQLite's `?` are positional.
  const next = (value: unknown): string => {
    values.push(value);
    return '?';
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
    // giving tenant per statement; the primary key (id IN) is the way in.
    `WHERE id IN (${ids}) AND (tenant_id || '') = ${fromTenant} AND master_version = CASE id ${fromVersion} END`;
  const result = await runner.query(sql, values, true);
  return result.affected ?? 0;
}
