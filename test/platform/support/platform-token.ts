/**
 * A fresh SoftHSM2 token holding the platform keys that `smpki init` creates (the ES256 access-token key and the
 * brainpool audit-checkpoint key): what a service needs in its HSM to start.
 */
import { Pkcs11KeyManager } from '@smpki/hsm';
import { testHsmConfig } from '../../hsm/support/test-key-manager';
import { createTestToken, type TestToken } from '../../support/softhsm';

export interface PlatformToken {
  token: TestToken;
  tokenKeyUri: string;
  checkpointKeyUri: string;
  /** The SMPKI_* settings naming this token and its keys, with SOFTHSM2_CONF for a service run as a process. */
  environment(): Record<string, string>;
  /** Removes the token directory; the services using it are stopped first. */
  remove(): void;
}

export async function createPlatformToken(label: string, userPin?: string): Promise<PlatformToken> {
  const token = createTestToken(label, userPin);
  const tokenKeyUri = `pkcs11:token=${label};object=access-token-signing`;
  const checkpointKeyUri = `pkcs11:token=${label};object=audit-checkpoint`;
  const keys = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1 }));
  try {
    // The curves `smpki init` uses: JOSE has no brainpool, audit checkpoints are brainpool like the PKI.
    await keys.createEcKeyPair(tokenKeyUri, 'P-256', { usages: ['sign'] });
    await keys.createEcKeyPair(checkpointKeyUri, 'brainpoolP256r1', { usages: ['sign'] });
  } finally {
    await keys.close();
  }
  return {
    token,
    tokenKeyUri,
    checkpointKeyUri,
    environment: () => ({
      SOFTHSM2_CONF: token.configPath,
      SMPKI_HSM_MODULE: token.modulePath,
      SMPKI_HSM_TOKEN: token.label,
      SMPKI_HSM_PIN: token.userPin,
      SMPKI_AUTH_TOKEN_KEY: tokenKeyUri,
      SMPKI_AUDIT_CHECKPOINT_KEY: checkpointKeyUri,
    }),
    remove: () => token.remove(),
  };
}
