/**
 * A fresh SoftHSM2 token per test file: its own token directory and configuration, initialised with
 * softhsm2-util, so test files can run in parallel and never see each other's keys.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HsmConfig } from '@smpki/hsm';

export const SOFTHSM_MODULE = process.env.SMPKI_TEST_PKCS11_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface TestToken {
  dir: string;
  configPath: string;
  modulePath: string;
  label: string;
  userPin: string;
  soPin: string;
  /** Removes the token directory. The caller closes its key manager first. */
  remove(): void;
}

/**
 * Creates and initialises a token and sets SOFTHSM2_CONF in `process.env` for child processes (openssl,
 * pkcs11-tool). Under jest, `process.env` is a sandbox that the module's getenv() does not see: open the key
 * manager with `moduleEnvironment: { SOFTHSM2_CONF: token.configPath }` (see `testHsmConfig` in
 * test/hsm/support/test-key-manager.ts). SoftHSM reads the configuration at C_Initialize.
 */
export function createTestToken(label = 'smpki-test', userPin = '1234', soPin = '123456'): TestToken {
  const dir = mkdtempSync(join(tmpdir(), 'smpki-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const configPath = join(dir, 'softhsm2.conf');
  writeFileSync(configPath, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', userPin, '--so-pin', soPin], {
    env: { ...process.env, SOFTHSM2_CONF: configPath },
    stdio: 'pipe',
  });
  process.env.SOFTHSM2_CONF = configPath;
  return {
    dir,
    configPath,
    modulePath: SOFTHSM_MODULE,
    label,
    userPin,
    soPin,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The key-manager configuration of a test token: 2 workers, 5 s call deadline unless overridden. SoftHSM gets its
 * configuration through `moduleEnvironment`, since jest's process.env does not reach the module's getenv().
 */
export function testHsmConfig(token: TestToken, overrides: Partial<HsmConfig> = {}): HsmConfig {
  return {
    modulePath: token.modulePath,
    tokenLabel: token.label,
    pin: token.userPin,
    workers: 2,
    callTimeoutMs: 5000,
    moduleEnvironment: { SOFTHSM2_CONF: token.configPath },
    ...overrides,
  };
}
