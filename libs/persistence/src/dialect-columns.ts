/**
 * Dialect-dependent column types, so that every entity is written once.
 *
 * Entities declare their columns in PostgreSQL's vocabulary, the production database: binary data as `bytea`,
 * instants as `timestamptz`. SQLite has neither type, and TypeORM copies a column's type from the decorator
 * into the DataSource's metadata when the DataSource is initialised. So {@link withDialectColumnTypes} lends the
 * SQLite equivalents (`blob`, `datetime`) to those columns while a better-sqlite3 DataSource builds its
 * metadata, and puts the PostgreSQL types back afterwards.
 *
 * Why this and not the alternatives:
 * - a process-wide dialect read by the entity modules when they load would tie import order to configuration
 *   (Nest imports every entity before the configuration is parsed) and allow one dialect per process, but the
 *   migration generator and the tests open both;
 * - a helper decorator imported from `@smpki/persistence` would make each entity module import persistence,
 *   which lists every entity in `PLATFORM_ENTITIES`: an import cycle whose outcome depends on load order;
 * - no column type is accepted by both drivers for binary data or instants.
 * The swap happens only inside `initializeDataSource()` (serialised process-wide), so a PostgreSQL and a SQLite
 * DataSource can live in the same process. A DataSource initialised some other way keeps the PostgreSQL types:
 * correct on PostgreSQL, and refused loudly by TypeORM on SQLite ("Data type bytea ... is not supported").
 */
import { getMetadataArgsStorage } from 'typeorm';
import type { DatabaseDialect } from './database-config';

/** Column types an entity may declare that are spelled differently on SQLite, and their SQLite spelling. */
export const SQLITE_COLUMN_TYPES: Readonly<Record<string, string>> = {
  bytea: 'blob',
  timestamptz: 'datetime',
  'timestamp with time zone': 'datetime',
};

/** The type a column declared as `declared` (PostgreSQL vocabulary) gets on `dialect`. */
export function columnTypeFor(declared: string, dialect: DatabaseDialect): string {
  return dialect === 'better-sqlite3' ? (SQLITE_COLUMN_TYPES[declared] ?? declared) : declared;
}

/**
 * Runs `build` (which must initialise the DataSource, i.e. build its metadata) with every decorated column
 * typed for `dialect`. The caller serialises calls (see initializeDataSource) because the decorator metadata is
 * shared by the whole process.
 */
export async function withDialectColumnTypes<T>(dialect: DatabaseDialect, build: () => Promise<T>): Promise<T> {
  const restore: Array<() => void> = [];
  for (const column of getMetadataArgsStorage().columns) {
    const declared = column.options.type;
    if (typeof declared !== 'string') continue;
    const typed = columnTypeFor(declared, dialect);
    if (typed === declared) continue;
    const options = column.options as { type?: unknown };
    options.type = typed;
    restore.push(() => {
      options.type = declared;
    });
  }
  try {
    return await build();
  } finally {
    for (const undo of restore) undo();
  }
}
