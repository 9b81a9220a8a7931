import { readSetting, type Environment } from './env-setting';
import type { AuditConfig } from './service-config';
import { integerBetween, pkcs11ObjectUri } from './setting-rules';

export const AUDIT_VARIABLES = ['SMPKI_AUDIT_CHECKPOINT_KEY', 'SMPKI_AUDIT_CHECKPOINT_EVERY'] as const;

/** Often enough that an attacker deleting the newest rows loses at most this many unsealed entries. */
const DEFAULT_CHECKPOINT_EVERY = 100;

export function readAuditConfig(env: Environment): AuditConfig {
  const config: AuditConfig = {
    checkpointEvery: readSetting(env, 'SMPKI_AUDIT_CHECKPOINT_EVERY', integerBetween(1, 1_000_000)) ?? DEFAULT_CHECKPOINT_EVERY,
  };
  const checkpointKeyUri = readSetting(env, 'SMPKI_AUDIT_CHECKPOINT_KEY', pkcs11ObjectUri);
  if (checkpointKeyUri) config.checkpointKeyUri = checkpointKeyUri;
  return config;
}
