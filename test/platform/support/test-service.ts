/**
 * Starts a service application in the test process the way runService does (same PlatformModule, same
 * configureServiceApp), with its log lines captured instead of written to stdout.
 */
import type { DynamicModule, INestApplication, ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { HsmConfig } from '@smpki/hsm';
import { configureServiceApp, loadServiceConfig, PlatformModule, serviceLogger, type Environment, type ServiceAppOptions, type ServiceConfig, type ServiceName } from '@smpki/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformToken } from './platform-token';

export interface TestService {
  app: INestApplication;
  config: ServiceConfig;
  /** Raw lines as written (each ends with a newline). */
  lines: string[];
  /** The lines parsed; throws if one is not JSON. */
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TestServiceOptions extends Pick<ModuleMetadata, 'controllers' | 'providers' | 'imports'> {
  service?: ServiceName;
  env?: Environment;
  /** The app's root module factory (e.g. SubCaModule.forRoot); PlatformModule.forRoot otherwise. */
  rootModule?: { forRoot(config: ServiceConfig): DynamicModule };
  /** Listen on 127.0.0.1 with an ephemeral port instead of only initialising (supertest works either way). */
  listen?: boolean;
  /**
   * The service's HSM and platform keys (SMPKI_HSM_*, SMPKI_AUTH_TOKEN_KEY, SMPKI_AUDIT_CHECKPOINT_KEY), with one
   * worker session, enough for a test. The database is a SQLite file in the service's temporary data directory
   * unless `env` sets SMPKI_DB_URL.
   */
  platform?: PlatformToken;
  /** What the app's main.ts passes to runService (e.g. DIRECTORY_APP_OPTIONS: body limits). */
  appOptions?: ServiceAppOptions;
}

/** jest's sandboxed process.env does not reach the module's getenv(): hand SoftHSM its configuration explicitly. */
function withModuleEnvironment(config: ServiceConfig, platform: PlatformToken): ServiceConfig {
  const hsm: HsmConfig | undefined = config.hsm;
  if (hsm) hsm.moduleEnvironment = { SOFTHSM2_CONF: platform.token.configPath };
  return config;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'smpki-platform-'));
  const service = options.service ?? 'sub-ca';
  const platform = options.platform;
  const hsm = platform ? { ...platform.environment(), SMPKI_HSM_WORKERS: '1' } : {};
  const loaded = loadServiceConfig(service, { SMPKI_DATA_DIR: dataDir, SMPKI_LOG_LEVEL: 'trace', ...hsm, ...options.env });
  const config = platform ? withModuleEnvironment(loaded, platform) : loaded;
  const lines: string[] = [];
  // Seeds the process logger of this config, so PlatformModule.forRoot(config) picks up the capturing one.
  const logger = serviceLogger(config, (line) => lines.push(line));
  const root = options.rootModule ? options.rootModule.forRoot(config) : PlatformModule.forRoot(config);
  const moduleRef = await Test.createTestingModule({
    imports: [root, ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger });
  configureServiceApp(app, config, options.appOptions);
  if (options.listen) await app.listen(0, '127.0.0.1');
  else await app.init();
  return {
    app,
    config,
    lines,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
