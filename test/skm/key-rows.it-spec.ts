/**
 * The bulk row helpers of the SKM on both databases: the conditional move of the provider change (a row that
 * changed after it was read is not moved, and the count says so) and the bulk insert of imported keys (rows stored
 * as `manager.insert` stores them: dates, nulls, integers).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, runInTransaction, type DatabaseConfig } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { SkmMeterKey } from '../../libs/skm/src/entities';
import { insertKeyRows } from '../../libs/skm/src/keys/insert-key-rows';
import { moveKeyRows } from '../../libs/skm/src/keys/move-key-rows';
import { describePostgres } from '../persistence/support/describe-postgres';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const GIVING = randomUUID();
const RECEIVING = randomUUID();

function keyRow(index: number, overrides: Partial<SkmMeterKey> = {}): SkmMeterKey {
  return Object.assign(new SkmMeterKey(), {
    id: randomUUID(), tenantId: GIVING, meterId: `4B${index.toString(16).toUpperCase().padStart(14, '0')}`, kind: 'wmbus', version: 1, state: 'active',
    bits: 128, wrapped: 'aa'.repeat(24), masterVersion: 1, kcv: 'ABC123', origin: 'imported',
    createdAt: new Date('2026-03-01T10:00:00.123Z'), activatedAt: new Date('2026-03-01T10:00:01Z'), retiredAt: null, destroyedAt: null, ...overrides,
  });
}

function keyRowsSuite(open: () => Promise<{ dataSource: DataSource; close(): Promise<void> }>): void {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await open());
  });
  afterAll(() => close());

  it('stores imported rows as manager.insert would (dates, nulls, numbers)', async () => {
    const rows = [keyRow(1), keyRow(2, { wrapped: null, state: 'destroyed', destroyedAt: new Date('2026-03-02T00:00:00Z') })];
    await runInTransaction(dataSource, (manager) => insertKeyRows(manager, rows));
    const stored = await dataSource.getRepository(SkmMeterKey).find({ where: rows.map((row) => ({ id: row.id })), order: { meterId: 'ASC' } });
    expect(stored).toEqual(rows);
  });

  it('moves only rows still under the giving tenant and the master version they were read with', async () => {
    const rows = [keyRow(10), keyRow(11), keyRow(12, { masterVersion: 2 })];
    await runInTransaction(dataSource, (manager) => insertKeyRows(manager, rows));
    const moves = rows.map((row) => ({ id: row.id, fromMasterVersion: 1, wrapped: 'bb'.repeat(24), masterVersion: 3 }));
    // Row 12 was re-wrapped by a master rotation (version 2) since the provider change read it at version 1.
    const matched = await runInTransaction(dataSource, (manager) => moveKeyRows(manager, GIVING, RECEIVING, moves));
    expect(matched).toBe(2);
    const after = await dataSource.getRepository(SkmMeterKey).find({ where: rows.map((row) => ({ id: row.id })), order: { meterId: 'ASC' } });
    expect(after.map(({ tenantId, masterVersion, wrapped }) => ({ tenantId, masterVersion, wrapped }))).toEqual([
      { tenantId: RECEIVING, masterVersion: 3, wrapped: 'bb'.repeat(24) },
      { tenantId: RECEIVING, masterVersion: 3, wrapped: 'bb'.repeat(24) },
      { tenantId: GIVING, masterVersion: 2, wrapped: 'aa'.repeat(24) },
    ]);
    // Moving again from the giving tenant matches none of the moved rows.
    expect(await runInTransaction(dataSource, (manager) => moveKeyRows(manager, GIVING, RECEIVING, moves.slice(0, 2)))).toBe(0);
  });
}

describe('SKM key-row helpers on SQLite', () => {
  keyRowsSuite(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-key-rows-'));
    const config: DatabaseConfig = { type: 'better-sqlite3', path: join(dir, 'skm.sqlite') };
    const dataSource = await openDatabase(config);
    return { dataSource, close: async () => { await dataSource.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  });
});

describePostgres('SKM key-row helpers on PostgreSQL', () => {
  keyRowsSuite(async () => {
    const database: TestDatabase = await createTestDatabase('smpki_test');
    const dataSource = await openDatabase({ type: 'postgres', url: database.url, poolSize: 2 });
    return { dataSource, close: async () => { await dataSource.destroy(); await database.drop(); } };
  });
});
