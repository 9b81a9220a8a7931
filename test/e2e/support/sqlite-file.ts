/**
 * Direct access to a service's SQLite file, bypassing the platform: what an attacker with access to the disk can
 * do. Only for a stopped service (the platform holds the write lock while it runs).
 */

/** The parts of better-sqlite3 used here (the package ships no types). */
export interface SqliteStatement {
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): unknown;
}

export interface SqliteFile {
  prepare(sql: string): SqliteStatement;
  close(): void;
}

// A plain require: the package has no type declarations to import.
const BetterSqlite3 = require('better-sqlite3') as new (file: string, options?: { fileMustExist?: boolean }) => SqliteFile;

/** Opens an existing database file, runs `use`, closes it. */
export function withSqliteFile<T>(file: string, use: (db: SqliteFile) => T): T {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}
