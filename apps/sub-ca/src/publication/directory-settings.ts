/**
 * Where the sub-CA publishes (docs/DIRECTORY.md): SMPKI_DIRECTORY_URL, the base URL of the directory service.
 * Unset: the outbox only fills (its lag stays visible in `GET /v1/publication/status`).
 */
import { ConfigurationError, type Environment } from '@smpki/platform';
import { loadExternalLdapSettings, type ExternalLdapSettings } from './external-ldap-settings';

export const DIRECTORY_URL_VARIABLE = 'SMPKI_DIRECTORY_URL';

/** The publication targets: the platform directory, an external LDAP server (SMPKI_EXTERNAL_LDAP_*), or both. */
export interface DirectorySettings {
  url?: string;
  externalLdap?: ExternalLdapSettings;
}

/** Undefined when no target is configured. */
export function loadDirectorySettings(env: Environment): DirectorySettings | undefined {
  const url = loadDirectoryUrl(env);
  const externalLdap = loadExternalLdapSettings(env);
  if (url === undefined && externalLdap === undefined) return undefined;
  return { ...(url !== undefined ? { url } : {}), ...(externalLdap ? { externalLdap } : {}) };
}

function loadDirectoryUrl(env: Environment): string | undefined {
  const value = env[DIRECTORY_URL_VARIABLE]?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(DIRECTORY_URL_VARIABLE, `must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(DIRECTORY_URL_VARIABLE, `must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  // Credentials in the URL would end up in logs; the publisher authenticates with its own bearer token.
  if (url.username || url.password) throw new ConfigurationError(DIRECTORY_URL_VARIABLE, 'must not contain credentials');
  return url.toString();
}
