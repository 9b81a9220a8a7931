import type { Logger } from 'typeorm';

/** Where database events go: the service's structured logger (same shape as @smpki/hsm's HsmLogger). */
export interface DatabaseLogger {
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
}

/** Queries slower than this are reported. */
export const SLOW_QUERY_MS = 1000;

/**
 * TypeORM's logging routed to the service logger. TypeORM's own default writes migration messages to stdout
 * whatever `logging` says, which would break the JSON log stream; without a logger nothing is written.
 * Query parameters are never logged: they can hold credentials' hashes or personal data.
 */
export function typeormLogger(logger?: DatabaseLogger): Logger {
  return {
    logQuery: () => undefined,
    logSchemaBuild: () => undefined,
    logQueryError: (error, query) => logger?.warn('database query failed', { error: errorMessage(error), query }),
    logQuerySlow: (time, query) => logger?.warn('slow database query', { durationMs: time, query }),
    // TypeORM reports only failed migrations here; applied ones are logged by openDatabase.
    logMigration: (message) => logger?.warn(message),
    log: (level, message) => {
      if (level === 'warn') logger?.warn(String(message));
    },
  };
}

function errorMessage(error: string | Error): string {
  return typeof error === 'string' ? error : error.message;
}
