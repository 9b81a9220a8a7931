import { readSetting, type Environment } from './env-setting';
import type { AccessConfig } from './service-config';
import { readableFile } from './setting-rules';

export const ACCESS_VARIABLES = ['SMPKI_ACCESS_RULES_FILE', 'SMPKI_CLIENT_CERT_ROLES_FILE'] as const;

/** Policy files are only located here; their content is validated by @smpki/policy and @smpki/auth at start. */
export function readAccessConfig(env: Environment): AccessConfig {
  const config: AccessConfig = {};
  const rulesFile = readSetting(env, 'SMPKI_ACCESS_RULES_FILE', readableFile);
  const clientCertificateRolesFile = readSetting(env, 'SMPKI_CLIENT_CERT_ROLES_FILE', readableFile);
  if (rulesFile) config.rulesFile = rulesFile;
  if (clientCertificateRolesFile) config.clientCertificateRolesFile = clientCertificateRolesFile;
  return config;
}
