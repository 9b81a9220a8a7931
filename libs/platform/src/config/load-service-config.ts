import { join, resolve } from 'node:path';
import { LOG_LEVEL_NAMES } from '../logging/log-level';
import { readAccessConfig } from './access-settings';
import { readAuditConfig } from './audit-settings';
import { readAuthConfig } from './auth-settings';
import { protectServiceConfig } from './config-redaction';
import { ConfigurationError } from './configuration-error';
import { databaseUrl } from './database-url';
import { readSetting, type Environment } from './env-setting';
import { readHsmConfig } from './hsm-settings';
import type { RequiredSection, ServiceConfig } from './service-config';
import { DEFAULT_HTTP_PORTS, serviceDisplayName, type ServiceName } from './service-name';
import { directoryPath, hostSetting, integerBetween, oneOf } from './setting-rules';
import { readTlsConfig } from './tls-settings';

export interface LoadServiceConfigOptions {
  /** Sections this service cannot run without; a missing one stops the start naming its variable. */
  requires?: readonly RequiredSection[];
  /** Base for the default data directory (`<cwd>/data/<service>`); the working directory by default. */
  cwd?: string;
}

/** Loopback by default: exposing a CA on every interface is a decision for the operator, not a default. */
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

const REQUIRED_SECTION_VARIABLE: Readonly<Record<RequiredSection, string>> = {
  tls: 'SMPKI_TLS_CERT_FILE',
  'mutual-tls': 'SMPKI_TLS_CLIENT_CA_FILE',
  hsm: 'SMPKI_HSM_MODULE',
  auth: 'SMPKI_AUTH_TOKEN_KEY',
};

function checkRequiredSections(config: ServiceConfig, requires: readonly RequiredSection[]): void {
  const present: Record<RequiredSection, boolean> = {
    tls: config.tls !== undefined,
    'mutual-tls': config.tls?.clientCaFile !== undefined,
    hsm: config.hsm !== undefined,
    auth: config.auth !== undefined,
  };
  const missing = requires.find((section) => !present[section]);
  if (missing) throw new ConfigurationError(REQUIRED_SECTION_VARIABLE[missing], `is required by ${config.displayName}`);
}

/**
 * Parses and checks the service's environment once, at start. Throws {@link ConfigurationError} naming the first
 * wrong variable; files named by the configuration (TLS, HSM module, PIN file) must exist and be readable now.
 */
export function loadServiceConfig(service: ServiceName, env: Environment, options: LoadServiceConfigOptions = {}): ServiceConfig {
  const displayName = serviceDisplayName(service);
  const dataDir = readSetting(env, 'SMPKI_DATA_DIR', directoryPath) ?? resolve(options.cwd ?? process.cwd(), 'data', service);
  const config: ServiceConfig = {
    service,
    displayName,
    http: {
      host: readSetting(env, 'SMPKI_HTTP_HOST', hostSetting) ?? DEFAULT_HOST,
      port: readSetting(env, 'SMPKI_HTTP_PORT', integerBetween(1, 65535)) ?? DEFAULT_HTTP_PORTS[service],
      shutdownGraceMs: readSetting(env, 'SMPKI_SHUTDOWN_GRACE_MS', integerBetween(0, 600_000)) ?? DEFAULT_SHUTDOWN_GRACE_MS,
    },
    tls: readTlsConfig(env),
    // Never echoed: a postgres URL may carry a password.
    database: readSetting(env, 'SMPKI_DB_URL', databaseUrl, { secret: true }) ?? { type: 'better-sqlite3', path: join(dataDir, `${service}.sqlite`) },
    hsm: readHsmConfig(env),
    auth: readAuthConfig(env),
    access: readAccessConfig(env),
    audit: readAuditConfig(env),
    dataDir,
    logLevel: readSetting(env, 'SMPKI_LOG_LEVEL', oneOf(LOG_LEVEL_NAMES)) ?? 'info',
  };
  if (!config.tls) delete config.tls;
  if (!config.hsm) delete config.hsm;
  if (!config.auth) delete config.auth;
  checkRequiredSections(config, options.requires ?? []);
  return protectServiceConfig(config);
}
