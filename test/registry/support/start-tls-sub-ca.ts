/**
 * The sub-CA app over HTTPS with mutual TLS, as runService builds it (SubCaModule.forRoot, configureServiceApp,
 * buildHttpsOptions), on the SoftHSM2 token of a CaTestPki and a SQLite file: client certificates are verified
 * against `clientCaFile`, the server certificate comes from test/auth's TLS fixtures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildHttpsOptions, configureServiceApp, loadServiceConfig, serviceLogger } from '@smpki/platform';
import type { AddressInfo } from 'node:net';
import { SUB_CA_APP_OPTIONS, SubCaModule } from '../../../apps/sub-ca/src/sub-ca.module';
import type { CaTestPki } from '../../ca/support/ca-test-pki';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
}

export interface RunningTlsSubCa {
  app: INestApplication;
  port: number;
  close(): Promise<void>;
}

export async function startTlsSubCa(pki: CaTestPki, tokenKeyUri: string, tls: TlsFiles): Promise<RunningTlsSubCa> {
  const dataDir = mkdtempSync(join(tmpdir(), 'smpki-sub-ca-tls-'));
  const token = pki.hsm.token;
  const config = loadServiceConfig('sub-ca', {
    SMPKI_DATA_DIR: dataDir,
    SMPKI_LOG_LEVEL: 'warn',
    SMPKI_HSM_MODULE: token.modulePath,
    SMPKI_HSM_TOKEN: token.label,
    SMPKI_HSM_PIN: token.userPin,
    SMPKI_HSM_WORKERS: '1',
    SMPKI_AUTH_TOKEN_KEY: tokenKeyUri,
    SMPKI_TLS_CERT_FILE: tls.certFile,
    SMPKI_TLS_KEY_FILE: tls.keyFile,
    SMPKI_TLS_CLIENT_CA_FILE: tls.clientCaFile,
  });
  // jest's process.env does not reach the module's getenv(): hand SoftHSM its configuration explicitly.
  config.hsm!.moduleEnvironment = { SOFTHSM2_CONF: token.configPath };
  const logger = serviceLogger(config, () => undefined);
  const moduleRef = await Test.createTestingModule({ imports: [SubCaModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger, httpsOptions: buildHttpsOptions(config.tls!) });
  configureServiceApp(app, config, SUB_CA_APP_OPTIONS);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    port: (app.getHttpServer().address() as AddressInfo).port,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
