/**
 * Multi-row INSERT of entities without TypeORM's query builder. The builder names every value as a parameter
 * (`orm_param_N`) and copies its parameter map while building; for a batch of hundreds of rows of a dozen columns
 * that costs more event-loop time than the database takes to insert them. Here the statement is written once per
 * shape, with the driver's own placeholders, and every value goes through the driver's preparePersistentValue, so
 * the rows stored are those `manager.insert` would store (dates, JSON, booleans per dialect).
 *
 * For plain entities only: every column is written from the entity (no generated values, no relations, no
 * embedded entities), which is what the append-only tables it serves (ca_certificate, audit_event) are.
 */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Rows per statement: below the 65,535 bind parameters of PostgreSQL and the 32,766 of SQLite for ~20 columns. */
const ROWS_PER_STATEMENT = 500;

export async function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: readonly T[]): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns;
  const placeholder = driver.options.type === 'postgres' ? (index: number) => `$${index + 1}` : () => '?';
  const head = `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((column) => driver.escape(column.databaseName)).join(', ')}) VALUES `;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const names = columns.map((column) => {
        values.push(driver.preparePersistentValue(column.getEntityValue(row), column));
        return placeholder(values.length - 1);
      });
      return `(${names.join(', ')})`;
    });
    await manager.query(head + tuples.join(', '), values);
  }
}
