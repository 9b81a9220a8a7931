import { inspect } from 'node:util';
import { redactDatabaseUrl } from './database-url';
import type { DatabaseConfig, HsmConfig, ServiceConfig } from './service-config';

export const REDACTED = '[REDACTED]';

/**
 * Gives an object non-enumerable toJSON / toString / util.inspect that show `view()` instead of the object.
 * Non-enumerable, so spreading or structured-cloning the object (worker threads) copies only the data.
 */
function showAs<T extends object>(target: T, view: (value: T) => object): T {
  const render = (): object => view(target);
  Object.defineProperties(target, {
    toJSON: { value: render, enumerable: false },
    toString: { value: () => JSON.stringify(render()), enumerable: false },
    [inspect.custom]: { value: () => render(), enumerable: false },
  });
  return target;
}

function redactedHsm(hsm: HsmConfig): object {
  return { ...hsm, pin: REDACTED };
}

function redactedDatabase(database: DatabaseConfig): object {
  return database.type === 'postgres' ? { ...database, url: redactDatabaseUrl(database.url) } : { ...database };
}

/** Makes every printed form of the configuration safe to log: no HSM PIN, no database password. */
export function protectServiceConfig(config: ServiceConfig): ServiceConfig {
  if (config.hsm) showAs(config.hsm, redactedHsm);
  showAs(config.database, redactedDatabase);
  return showAs(config, (value) => ({
    ...value,
    database: redactedDatabase(value.database),
    ...(value.hsm ? { hsm: redactedHsm(value.hsm) } : {}),
  }));
}
