import type { DataSource, EntityManager } from 'typeorm';
import { DATABASE_DIALECTS, type DatabaseDialect } from './database-config';

/** The dialect of a DataSource (or of the DataSource behind an EntityManager); refuses drivers the platform does not support. */
export function databaseDialect(source: DataSource | EntityManager): DatabaseDialect {
  // A DataSource has a driver; an EntityManager points at its DataSource.
  const dataSource: DataSource = 'driver' in source ? source : source.dataSource;
  const type = dataSource.options.type;
  if (!(DATABASE_DIALECTS as readonly string[]).includes(type)) {
    throw new Error(`database driver ${type} is not supported by smpki (use ${DATABASE_DIALECTS.join(' or ')})`);
  }
  return type as DatabaseDialect;
}
