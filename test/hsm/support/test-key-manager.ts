/** Opens a Pkcs11KeyManager on a fresh SoftHSM2 test token (one per test file). */
import { Pkcs11KeyManager, type HsmConfig, type HsmLogger } from '@smpki/hsm';
import { createTestToken, testHsmConfig, type TestToken } from '../../support/softhsm';

export interface TestKeyManager {
  token: TestToken;
  km: Pkcs11KeyManager;
  uri(object: string): string;
  /** Closes the manager and removes the token. */
  dispose(): Promise<void>;
}

/** Log lines kept for assertions (e.g. that the PIN never appears). */
export class RecordingLogger implements HsmLogger {
  readonly lines: Array<{ level: string; msg: string; fields?: object }> = [];
  info(msg: string, fields?: object): void {
    this.lines.push({ level: 'info', msg, fields });
  }
  warn(msg: string, fields?: object): void {
    this.lines.push({ level: 'warn', msg, fields });
  }
  error(msg: string, fields?: object): void {
    this.lines.push({ level: 'error', msg, fields });
  }
  text(): string {
    return this.lines.map((line) => `${line.level} ${line.msg} ${JSON.stringify(line.fields ?? {})}`).join('\n');
  }
}

export { testHsmConfig };

export async function openTestKeyManager(overrides: Partial<HsmConfig> = {}, logger?: HsmLogger): Promise<TestKeyManager> {
  const token = createTestToken();
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, overrides), logger);
  return {
    token,
    km,
    uri: (object) => `pkcs11:token=${token.label};object=${object}`,
    dispose: async () => {
      await km.close();
      token.remove();
    },
  };
}
