/**
 * The sub-CA app in the test process, on the SoftHSM2 token of a CaTestPki and a SQLite file, the way runService
 * builds it (SubCaModule.forRoot, configureServiceApp): initialised for supertest, or, with `tls`, listening over
 * HTTPS with mutual TLS (buildHttpsOptions; client certificates verified against `clientCaFile`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildHttpsOptions, configureServiceApp, loadServiceConfig, serviceLogger } from '@smpki/platform';
import { SUB_CA_APP_OPTIONS, SubCaModule } from '../../../apps/sub-ca/src/sub-ca.module';
import type { CaTestPki } from './ca-test-pki';

/** The HTTPS listener's files (SMPKI_TLS_*). */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

export interface RunningSubCa {
  app: INestApplication;
  /** The HTTPS port (with `tls`); 0 when the app was only initialised. */
  port: number;
  close(): Promise<void>;
}

export async function startSubCa(pki: CaTestPki, tokenKeyUri: string, tls?: TlsFiles): Promise<RunningSubCa> {
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
    ...(tls && { SMPKI_TLS_CERT_FILE: tls.certFile, SMPKI_TLS_KEY_FILE: tls.keyFile, SMPKI_TLS_CLIENT_CA_FILE: tls.clientCaFile }),
  });
  // jest's process.env does not reach the module's getenv(): hand SoftHSM its configuration explicitly.
  config.hsm!.moduleEnvironment = { SOFTHSM2_CONF: token.configPath };
  const logger = serviceLogger(config, () => undefined);
  const moduleRef = await Test.createTestingModule({ imports: [SubCaModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger, ...(config.tls && { httpsOptions: buildHttpsOptions(config.tls) }) });
  configureServiceApp(app, config, SUB_CA_APP_OPTIONS);
  if (tls) await app.listen(0, '127.0.0.1');
  else await app.init();
  return {
    app,
    port: tls ? (app.getHttpServer().address() as AddressInfo).port : 0,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
