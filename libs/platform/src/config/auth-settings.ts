import { isSet, readSetting, requireSetting, type Environment } from './env-setting';
import type { AuthConfig } from './service-config';
import { integerBetween, nonEmptyText, pkcs11ObjectUri, readableFileList } from './setting-rules';

export const AUTH_VARIABLES = [
  'SMPKI_AUTH_TOKEN_KEY',
  'SMPKI_AUTH_ISSUER',
  'SMPKI_AUTH_AUDIENCE',
  'SMPKI_AUTH_TOKEN_TTL_SECONDS',
  'SMPKI_AUTH_VERIFY_KEY_FILES',
] as const;

const DEFAULT_AUDIENCE = 'smpki';
/**
 * One issuer for the whole platform by default: tokens come from one service (sub-ca) and every other service
 * must accept them, so the issuer cannot default to the name of the service that reads it.
 */
export const DEFAULT_TOKEN_ISSUER = 'smpki';

const DEFAULT_TOKEN_TTL_SECONDS = 900;
/** Tokens are bearer credentials that cannot be revoked one by one: an hour is the longest a stolen one may work. */
const MAX_TOKEN_TTL_SECONDS = 3600;

/** The access-token section: absent when no SMPKI_AUTH_* variable is set. */
export function readAuthConfig(env: Environment): AuthConfig | undefined {
  if (!AUTH_VARIABLES.some((name) => isSet(env, name))) return undefined;
  return {
    tokenKeyUri: requireSetting(env, 'SMPKI_AUTH_TOKEN_KEY', pkcs11ObjectUri, 'when any SMPKI_AUTH_* variable is set'),
    issuer: readSetting(env, 'SMPKI_AUTH_ISSUER', nonEmptyText(256)) ?? DEFAULT_TOKEN_ISSUER,
    audience: readSetting(env, 'SMPKI_AUTH_AUDIENCE', nonEmptyText(256)) ?? DEFAULT_AUDIENCE,
    tokenTtlSeconds: readSetting(env, 'SMPKI_AUTH_TOKEN_TTL_SECONDS', integerBetween(1, MAX_TOKEN_TTL_SECONDS)) ?? DEFAULT_TOKEN_TTL_SECONDS,
    verificationKeyFiles: readSetting(env, 'SMPKI_AUTH_VERIFY_KEY_FILES', readableFileList) ?? [],
  };
}
