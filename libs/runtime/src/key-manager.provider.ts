import { Pkcs11KeyManager, type KeyManager } from '@smpki/hsm';
import type { JsonLogger, ServiceConfig } from '@smpki/platform';

/** Opens the service's HSM: probes its mechanisms, logs in every worker session. The PIN never reaches the log. */
export async function openKeyManager(config: ServiceConfig, logger: JsonLogger): Promise<KeyManager> {
  if (!config.hsm) throw new Error(`${config.displayName} needs an HSM: set SMPKI_HSM_MODULE, SMPKI_HSM_TOKEN and a PIN`);
  return Pkcs11KeyManager.open(config.hsm, logger.child('Hsm'));
}
