/**
 * How every SQLite connection of the platform is set up (TypeORM's better-sqlite3 `prepareDatabase` hook).
 * Several processes may share one SQLite file (a service and its CLI tools, or several workers), so the
 * settings are about concurrent writers as much as about speed.
 */

/** The parts of better-sqlite3's `Database` and `Statement` this module uses (the package ships no types). */
export interface SqliteStatement {
  readonly reader: boolean;
  run(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): Array<Record<string, unknown>>;
}

export interface SqliteConnection {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  prepare(source: string): SqliteStatement;
}

export interface SqliteConnectionSettings {
  busyTimeoutMs: number;
  readonly: boolean;
}

/**
 * What TypeORM's query runner sends to open a transaction, and what the platform sends instead.
 *
 * TypeORM opens transactions with a plain (deferred) BEGIN: the write lock is taken at the first write, and in WAL
 * mode a transaction that has read before another process committed then fails with SQLITE_BUSY_SNAPSHOT, which
 * busy_timeout cannot help. BEGIN IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so
 * read-then-write transactions from several processes queue up instead of failing. Snapshot reads without the
 * write lock go through runInReadSnapshot(), which sends its own BEGIN DEFERRED.
 */
export const TYPEORM_BEGIN = 'BEGIN TRANSACTION';
export const IMMEDIATE_BEGIN = 'BEGIN IMMEDIATE TRANSACTION';

export function prepareSqliteConnection(db: SqliteConnection, settings: SqliteConnectionSettings): void {
  retainStatements(db, settings.readonly);
  // Wait for another process's write lock instead of failing at once with SQLITE_BUSY.
  db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`);
  // TypeORM turns this on too; the platform relies on it, so it does not depend on that.
  db.pragma('foreign_keys = ON');
  if (!settings.readonly) {
    // Readers do not block the writer and the writer does not block readers; the file stays consistent on crash.
    db.pragma('journal_mode = WAL');
  }
}

/**
 * Connections and their prepared statements, kept for the life of the process.
 *
 * better-sqlite3 12 wraps them in node::ObjectWrap, and with Node >= 24.19 the destructor of one collected by a
 * garbage collection that runs outside any JavaScript context (idle GC, process teardown) aborts the process
 * (`Assertion failed: (env) != nullptr` in RemoveEnvironmentCleanupHook; WiseLibs/better-sqlite3#1515, gone with the
 * Node-API rewrite in better-sqlite3 13). TypeORM evicts statements from its cache after 100 and `pragma()` prepares
 * a new statement per call, which makes them garbage. Kept reachable, they are only deleted by Node's environment
 * cleanup, which is safe. The cost is one statement per distinct SQL text, which TypeORM's parameterised queries
 * keep small. Drop this (but keep the BEGIN IMMEDIATE rewrite) once the platform is on better-sqlite3 13.
 */
const retainedConnections = new Set<SqliteConnection>();

function retainStatements(db: SqliteConnection, readonly: boolean): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, SqliteStatement>();
  retainedConnections.add(db);
  db.prepare = (source: string) => {
    const sql = !readonly && source === TYPEORM_BEGIN ? IMMEDIATE_BEGIN : source;
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  db.pragma = (source: string, options?: { simple?: boolean }) => {
    const statement = db.prepare(`PRAGMA ${source}`);
    if (!statement.reader) return statement.run();
    const rows = statement.all();
    return options?.simple ? Object.values(rows[0] ?? {})[0] : rows;
  };
}
