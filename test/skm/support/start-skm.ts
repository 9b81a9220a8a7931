/**
 * The skm service in the test process the way runService builds it (SkmModule.forRoot, configureServiceApp), on a
 * SoftHSM2 token and SQLite or PostgreSQL, with every log line captured and bearer tokens signed by the platform
 * token key in the same token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthSettings, TokenService } from '@smpki/auth';
import { configureServiceApp, DATA_SOURCE, loadServiceConfig, serviceLogger } from '@smpki/platform';
import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { SKM_APP_OPTIONS, SkmModule } from '../../../apps/skm/src/skm.module';
import { openTestKeyManager, type TestKeyManager } from '../../hsm/support/test-key-manager';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';

export type SkmDialect = 'sqlite' | 'postgres';

export interface RunningSkm {
  app: INestApplication;
  dataSource: DataSource;
  hsm: TestKeyManager;
  dialect: SkmDialect;
  /** The SQLite file (sqlite) or the PostgreSQL URL (postgres). */
  database: { sqlitePath?: string; postgresUrl?: string };
  /** Every log line the service wrote (debug and up). */
  logs: string[];
  token(subject: string, roles: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startSkm(dialect: SkmDialect): Promise<RunningSkm> {
  const hsm = await openTestKeyManager();
  const dataDir = mkdtempSync(join(tmpdir(), 'smpki-skm-'));
  let postgres: TestDatabase | undefined;
  if (dialect === 'postgres') postgres = await createTestDatabase('smpki_skm');
  const tokenKeyUri = hsm.uri('auth-token');
  await hsm.km.createEcKeyPair(tokenKeyUri, 'P-256', { usages: ['sign'] });
  const config = loadServiceConfig('skm', {
    SMPKI_DATA_DIR: dataDir,
    SMPKI_LOG_LEVEL: 'debug',
    SMPKI_HSM_MODULE: hsm.token.modulePath,
    SMPKI_HSM_TOKEN: hsm.token.label,
    SMPKI_HSM_PIN: hsm.token.userPin,
    SMPKI_HSM_WORKERS: '2',
    SMPKI_AUTH_TOKEN_KEY: tokenKeyUri,
    ...(postgres ? { SMPKI_DB_URL: postgres.url } : {}),
  });
  config.hsm!.moduleEnvironment = { SOFTHSM2_CONF: hsm.token.configPath };
  const logs: string[] = [];
  // Before the modules are built: serviceLogger keeps the first logger made for a configuration.
  const logger = serviceLogger(config, (line) => logs.push(line));
  const moduleRef = await Test.createTestingModule({ imports: [SkmModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ logger });
  configureServiceApp(app, config, SKM_APP_OPTIONS);
  await app.init();
  // Tokens as the platform's token issuer (the sub-CA) signs them, with the same HSM key.
  const tokens = new TokenService(
    new AuthSettings({
      issuer: 'smpki',
      audience: 'smpki',
      tokenTtlSeconds: 900,
      tokenSigner: await hsm.km.createSigner(tokenKeyUri),
      verificationKeys: [],
      accessRules: DEFAULT_ACCESS_RULES,
      eventSink: { record: () => undefined },
    }),
  );
  return {
    app,
    dataSource: app.get<DataSource>(DATA_SOURCE),
    hsm,
    dialect,
    database: postgres ? { postgresUrl: postgres.url } : { sqlitePath: join(dataDir, 'skm.sqlite') },
    logs,
    token: async (subject, roles) => (await tokens.issue({ subject, roles })).accessToken,
    close: async () => {
      await app.close();
      await postgres?.drop();
      await hsm.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
