import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ConfigurationError } from './configuration-error';
import { isSet, readSetting, requireSetting, type Environment } from './env-setting';
import type { HsmConfig } from './service-config';
import { integerBetween, nonEmptyText, readableFile } from './setting-rules';

export const HSM_VARIABLES = [
  'SMPKI_HSM_MODULE',
  'SMPKI_HSM_TOKEN',
  'SMPKI_HSM_PIN',
  'SMPKI_HSM_PIN_FILE',
  'SMPKI_HSM_WORKERS',
  'SMPKI_HSM_CALL_TIMEOUT_MS',
] as const;

const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** PKCS#11 token labels are 32 bytes, blank padded. */
const TOKEN_LABEL_MAX = 32;

/** The PIN from exactly one source. A PIN file is read now, so a missing file stops the start, not the first signature. */
function readPin(env: Environment): string {
  const inline = isSet(env, 'SMPKI_HSM_PIN');
  const fromFile = isSet(env, 'SMPKI_HSM_PIN_FILE');
  if (inline && fromFile) {
    throw new ConfigurationError('SMPKI_HSM_PIN', 'and SMPKI_HSM_PIN_FILE are both set: set exactly one of them');
  }
  if (inline) return (env.SMPKI_HSM_PIN as string).trim();
  if (!fromFile) {
    throw new ConfigurationError('SMPKI_HSM_PIN', 'or SMPKI_HSM_PIN_FILE is required when the HSM is configured');
  }
  const path = readSetting(env, 'SMPKI_HSM_PIN_FILE', readableFile) as string;
  // Trimmed: `echo 1234 > pin` leaves a newline that is not part of the PIN.
  const pin = readFileSync(path, 'utf8').trim();
  if (pin === '') throw new ConfigurationError('SMPKI_HSM_PIN_FILE', `names an empty file (${path})`);
  return pin;
}

/** The HSM section: absent when no SMPKI_HSM_* variable is set, complete and checked otherwise. */
export function readHsmConfig(env: Environment): HsmConfig | undefined {
  if (!HSM_VARIABLES.some((name) => isSet(env, name))) return undefined;
  const why = 'when the HSM is configured (any SMPKI_HSM_* variable is set)';
  return {
    modulePath: requireSetting(env, 'SMPKI_HSM_MODULE', readableFile, why),
    tokenLabel: requireSetting(env, 'SMPKI_HSM_TOKEN', nonEmptyText(TOKEN_LABEL_MAX), why),
    pin: readPin(env),
    // One session per worker thread; signing scales with cores (platform notes: 2 workers on 2 cores ~1.7x one).
    workers: readSetting(env, 'SMPKI_HSM_WORKERS', integerBetween(1, 64)) ?? Math.min(availableParallelism(), 64),
    callTimeoutMs: readSetting(env, 'SMPKI_HSM_CALL_TIMEOUT_MS', integerBetween(100, 600_000)) ?? DEFAULT_CALL_TIMEOUT_MS,
  };
}
