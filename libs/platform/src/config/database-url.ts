import { resolve } from 'node:path';
import { z } from 'zod';
import type { SettingSchema } from './env-setting';
import type { DatabaseConfig } from './service-config';

const SQLITE_PREFIX = 'sqlite:';
const IN_MEMORY = ':memory:';

function toDatabaseConfig(url: string): DatabaseConfig | string {
  if (url.startsWith(SQLITE_PREFIX)) {
    const path = url.slice(SQLITE_PREFIX.length);
    if (path === '') return 'must name a file after "sqlite:"';
    return { type: 'better-sqlite3', path: path === IN_MEMORY ? IN_MEMORY : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'is not a valid postgres:// URL';
    }
    if (!parsed.hostname) return 'must name a host (postgres://user@host:5432/database)';
    return { type: 'postgres', url };
  }
  // Only the scheme is repeated: the rest of a URL may hold a password.
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(url)?.[0];
  return `must start with sqlite: or postgres://${scheme ? ` (got scheme "${scheme}")` : ''}`;
}

/**
 * `sqlite:<path>` (relative paths resolve against the working directory; `sqlite::memory:` for tests) or
 * `postgres://user[:password]@host[:port]/database`. The value is never echoed: it may hold a password.
 */
export const databaseUrl: SettingSchema<DatabaseConfig> = z.string().transform((url, context) => {
  const result = toDatabaseConfig(url.trim());
  if (typeof result === 'string') {
    context.addIssue({ code: 'custom', message: result });
    return z.NEVER;
  }
  return result;
});

/** The URL with its password replaced, for logs and `toJSON`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = 'REDACTED';
    return parsed.toString();
  } catch {
    return '[REDACTED]';
  }
}
