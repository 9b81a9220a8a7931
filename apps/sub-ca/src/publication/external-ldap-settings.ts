/**
 * The optional external LDAP target of the publisher (docs/DIRECTORY.md): an operator's OpenLDAP server the
 * outbox also writes into. Unset SMPKI_EXTERNAL_LDAP_URL: no such target. Set: the bind DN and a password file are
 * required; everything is checked at start, each error naming its variable. The password is read from a file
 * (never an environment value, which `ps e` and crash dumps show) and never appears in an error or log.
 */
import { readFileSync } from 'node:fs';
import type { LdapDirectoryClientOptions, RevokedHandling } from '@smpki/ca';
import { ConfigurationError, type Environment } from '@smpki/platform';

export const EXTERNAL_LDAP_VARIABLES = {
  url: 'SMPKI_EXTERNAL_LDAP_URL',
  bindDn: 'SMPKI_EXTERNAL_LDAP_BIND_DN',
  passwordFile: 'SMPKI_EXTERNAL_LDAP_PASSWORD_FILE',
  caFile: 'SMPKI_EXTERNAL_LDAP_CA_FILE',
  revoked: 'SMPKI_EXTERNAL_LDAP_REVOKED',
  suffix: 'SMPKI_EXTERNAL_LDAP_SUFFIX',
} as const;

export type ExternalLdapSettings = Omit<LdapDirectoryClientOptions, 'timeoutMs'>;

const REVOKED_VALUES: readonly RevokedHandling[] = ['keep', 'remove'];
/** `attr=value` pairs separated by commas; values may hold RFC 4514 escapes. A sanity check, not a full parser. */
const DN_SHAPE = /^[a-zA-Z][a-zA-Z0-9-]*=(?:[^,\\]|\\.)+(?:,\s*[a-zA-Z][a-zA-Z0-9-]*=(?:[^,\\]|\\.)+)*$/;

function value(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function required(env: Environment, name: string): string {
  const raw = value(env, name);
  if (raw === undefined) throw new ConfigurationError(name, `is required when ${EXTERNAL_LDAP_VARIABLES.url} is set`);
  return raw;
}

function readFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigurationError(name, `must name a readable file (got ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'})`);
  }
}

function ldapUrl(raw: string): URL {
  const name = EXTERNAL_LDAP_VARIABLES.url;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(name, `must be an ldap:// or ldaps:// URL (got ${JSON.stringify(raw)})`);
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') throw new ConfigurationError(name, `must be an ldap:// or ldaps:// URL (got ${JSON.stringify(raw)})`);
  // Credentials belong in the bind DN and password file; in the URL they would reach the logs.
  if (url.username || url.password) throw new ConfigurationError(name, 'must not contain credentials');
  if ((url.pathname && url.pathname !== '/') || url.search) throw new ConfigurationError(name, `must name only the server (got ${JSON.stringify(raw)})`);
  return url;
}

function dn(name: string, raw: string): string {
  if (!DN_SHAPE.test(raw)) throw new ConfigurationError(name, `must be an LDAP DN such as cn=admin,c=DE (got ${JSON.stringify(raw)})`);
  return raw;
}

export function loadExternalLdapSettings(env: Environment): ExternalLdapSettings | undefined {
  const rawUrl = value(env, EXTERNAL_LDAP_VARIABLES.url);
  if (rawUrl === undefined) return undefined;
  const url = ldapUrl(rawUrl);
  const bindDn = dn(EXTERNAL_LDAP_VARIABLES.bindDn, required(env, EXTERNAL_LDAP_VARIABLES.bindDn));
  const password = readFile(EXTERNAL_LDAP_VARIABLES.passwordFile, required(env, EXTERNAL_LDAP_VARIABLES.passwordFile)).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new ConfigurationError(EXTERNAL_LDAP_VARIABLES.passwordFile, 'must name a file holding the bind password (the file is empty)');

  const caFile = value(env, EXTERNAL_LDAP_VARIABLES.caFile);
  let caCertificates: Buffer | undefined;
  if (caFile !== undefined) {
    if (url.protocol !== 'ldaps:') throw new ConfigurationError(EXTERNAL_LDAP_VARIABLES.caFile, `applies only to an ldaps:// ${EXTERNAL_LDAP_VARIABLES.url}`);
    caCertificates = readFile(EXTERNAL_LDAP_VARIABLES.caFile, caFile);
    if (!caCertificates.includes('-----BEGIN CERTIFICATE-----')) {
      throw new ConfigurationError(EXTERNAL_LDAP_VARIABLES.caFile, `must hold PEM CA certificates (got ${JSON.stringify(caFile)})`);
    }
  }

  const revoked = value(env, EXTERNAL_LDAP_VARIABLES.revoked) ?? 'keep';
  if (!REVOKED_VALUES.includes(revoked as RevokedHandling)) {
    throw new ConfigurationError(EXTERNAL_LDAP_VARIABLES.revoked, `must be one of ${REVOKED_VALUES.join(', ')} (got ${JSON.stringify(revoked)})`);
  }
  const rawSuffix = value(env, EXTERNAL_LDAP_VARIABLES.suffix);
  const suffix = rawSuffix === undefined ? undefined : dn(EXTERNAL_LDAP_VARIABLES.suffix, rawSuffix);

  return {
    url: `${url.protocol}//${url.host}`,
    bindDn,
    password,
    revoked: revoked as RevokedHandling,
    ...(caCertificates ? { caCertificates } : {}),
    ...(suffix ? { suffix } : {}),
  };
}
