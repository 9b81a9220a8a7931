/**
 * The sub-CA app in the test process, on the SoftHSM2 token of a CaTestPki and a SQLite file, the way runService
 * builds it (SubCaModule.forRoot, configureServiceApp). Kept here rather than in test/platform/support while that
 * helper's HSM options are being reworked; it can move onto startTestService once those settle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureServiceApp, loadServiceConfig, serviceLogger } from '@smpki/platform';
import { SUB_CA_APP_OPTIONS, SubCaModule } from '../../../apps/sub-ca/src/sub-ca.module';
import type { CaTestPki } from './ca-test-pki';

export interface RunningSubCa {
  app: INestApplication;
  close(): Promise<void>;
}

export async function startSubCa(pki: CaTestPki, tokenKeyUri: string): Promise<RunningSubCa> {
  const dataDir = mkdtempSync(join(tmpdir(), 'smpki-sub-ca-'));
  const token = pki.hsm.token;
  const config = loadServiceConfig('sub-ca', {
    SMPKI_DATA_DIR: dataDir,
    SMPKI_LOG_LEVEL: 'warn',
    SMPKI_HSM_MODULE: token.modulePath,
    SMPKI_HSM_TOKEN: token.label,
    SMPKI_HSM_PIN: token.userPin,
    SMPKI_HSM_WORKERS: '1',
    SMPKI_AUTH_TOKEN_KEY: tokenKeyUri,
  });
  // jest's process.env does not reach the module's getenv(): hand SoftHSM its configuration explicitly.
  config.hsm!.moduleEnvironment = { SOFTHSM2_CONF: token.configPath };
  const logger = serviceLogger(config, () => undefined);
  const moduleRef = await Test.createTestingModule({ imports: [SubCaModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger });
  configureServiceApp(app, config, SUB_CA_APP_OPTIONS);
  await app.init();
  return {
    app,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
