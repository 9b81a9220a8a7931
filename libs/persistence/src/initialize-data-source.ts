import type { DataSource } from 'typeorm';
import { databaseDialect } from './database-dialect';
import { withDialectColumnTypes } from './dialect-columns';
import { SerialQueue } from './serial-queue';

// Column types are lent to the shared decorator metadata while a DataSource builds its own (dialect-columns.ts),
// so two DataSources must not build at the same time.
const metadataBuilds = new SerialQueue();

/**
 * Initialises a DataSource built from `dataSourceOptions()`: connects and builds the entity metadata with the
 * column types of its dialect. Runs no migrations (see openDatabase); use it directly for tools that must not
 * change the database (verifiers, schema checks).
 */
export function initializeDataSource(dataSource: DataSource): Promise<DataSource> {
  const dialect = databaseDialect(dataSource);
  return metadataBuilds.run(() => withDialectColumnTypes(dialect, () => dataSource.initialize()));
}
