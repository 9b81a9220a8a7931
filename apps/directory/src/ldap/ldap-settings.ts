import { ConfigurationError, type Environment } from '@smpki/platform';
import type { RevokedPolicy } from '@smpki/directory';

/** The directory's own settings, read once at start; a bad value stops the start naming the variable. */
export interface DirectorySettings {
  ldapPort: number;
  ldapHost: string;
  revoked: RevokedPolicy;
  /** LDAPS listener, when SMPKI_LDAPS_PORT is set (with SMPKI_LDAPS_CERT_FILE and SMPKI_LDAPS_KEY_FILE, PEM). */
  ldaps?: { port: number; certFile: string; keyFile: string };
}

export const DEFAULT_LDAP_PORT = 1389;

export function loadDirectorySettings(env: Environment): DirectorySettings {
  const settings: DirectorySettings = {
    ldapPort: port('SMPKI_LDAP_PORT', env.SMPKI_LDAP_PORT) ?? DEFAULT_LDAP_PORT,
    ldapHost: env.SMPKI_LDAP_HOST ?? '0.0.0.0',
    revoked: revokedPolicy(env.SMPKI_DIRECTORY_REVOKED),
  };
  const ldapsPort = port('SMPKI_LDAPS_PORT', env.SMPKI_LDAPS_PORT);
  if (ldapsPort !== undefined) settings.ldaps = { port: ldapsPort, certFile: required(env, 'SMPKI_LDAPS_CERT_FILE'), keyFile: required(env, 'SMPKI_LDAPS_KEY_FILE') };
  return settings;
}

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigurationError(name, 'is required with SMPKI_LDAPS_PORT (PEM file)');
  return value;
}

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new ConfigurationError(name, `must be a TCP port from 0 to 65535, got "${value}"`);
  return port;
}

function revokedPolicy(value: string | undefined): RevokedPolicy {
  if (value === undefined || value === '' || value === 'keep') return 'keep';
  if (value === 'remove') return 'remove';
  throw new ConfigurationError('SMPKI_DIRECTORY_REVOKED', `must be keep or remove, got "${value}"`);
}
