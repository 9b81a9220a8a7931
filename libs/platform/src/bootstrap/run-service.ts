import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdirSync } from 'node:fs';
import { ConfigurationError, formatConfigurationError } from '../config/configuration-error';
import type { Environment } from '../config/env-setting';
import { loadServiceConfig } from '../config/load-service-config';
import type { RequiredSection, ServiceConfig } from '../config/service-config';
import { serviceDisplayName, type ServiceName } from '../config/service-name';
import type { JsonLogger } from '../logging/json-logger';
import { serviceLogger } from '../logging/service-logger';
import { configureServiceApp, type ServiceAppOptions } from './configure-service-app';
import { installGracefulShutdown, type GracefulShutdown } from './graceful-shutdown';
import { buildHttpsOptions } from './https-options';
import { installBrainpoolLegacyCertificateFix } from '../tls/brainpool-legacy-certificate';
import type { ServiceRootModule } from './service-root-module';

export interface RunServiceOptions extends ServiceAppOptions {
  service: ServiceName;
  rootModule: ServiceRootModule;
  /** Configuration sections this service cannot run without (e.g. `['hsm']`). */
  requires?: readonly RequiredSection[];
  /** process.env by default. */
  env?: Environment;
}

export interface RunningService {
  app: INestApplication;
  config: ServiceConfig;
  url: string;
  shutdown: GracefulShutdown;
}

function urlOf(config: ServiceConfig, port: number): string {
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
}

/** Creates the Nest application over HTTP or HTTPS (mutual TLS when a client CA is configured). */
async function createApp(options: RunServiceOptions, config: ServiceConfig, logger: JsonLogger): Promise<INestApplication> {
  const httpsOptions = config.tls ? buildHttpsOptions(config.tls) : undefined;
  mkdirSync(config.dataDir, { recursive: true });
  return NestFactory.create(options.rootModule.forRoot(config), {
    logger,
    httpsOptions,
    // Nest's default reaction to a failed start is process.abort() (a core dump); here it throws and exits 1.
    abortOnError: false,
  });
}

/** One JSON line naming what stopped the start, then exit 1. A configuration error is the plain one-liner instead. */
function failStart(service: ServiceName, error: unknown, logger?: JsonLogger): never {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${formatConfigurationError(serviceDisplayName(service), error)}\n`);
  } else if (logger) {
    logger.fatal('start failed', { err: error });
  } else {
    process.stderr.write(`${serviceDisplayName(service)}: start failed: ${(error as Error)?.message ?? String(error)}\n`);
  }
  process.exit(1);
}

/**
 * The whole of an app's main.ts: loads and checks the configuration (a wrong setting prints one line naming the
 * variable and exits 1), creates the application with the JSON logger, problem+json errors, health, OpenAPI,
 * listens, logs one line with the URL, and stops gracefully on SIGTERM/SIGINT.
 */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  // Services are TLS clients too (the publisher to an HTTPS directory): see the file for the Node crash it avoids.
  installBrainpoolLegacyCertificateFix();
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(options.service, options.env ?? process.env, { requires: options.requires });
  } catch (error) {
    failStart(options.service, error);
  }
  const logger = serviceLogger(config);
  process.on('uncaughtException', (error) => {
    logger.fatal('uncaught exception', { err: error });
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', { err: reason }));

  try {
    const app = await createApp(options, config, logger);
    configureServiceApp(app, config, options);
    await app.listen(config.http.port, config.http.host);
    const port = (app.getHttpServer().address() as { port: number }).port;
    const url = urlOf(config, port);
    const shutdown = installGracefulShutdown(app, { graceMs: config.http.shutdownGraceMs });
    logger.child('Bootstrap').info('listening', {
      url,
      tls: config.tls !== undefined,
      mutualTls: config.tls?.clientCaFile !== undefined,
      openapi: `${url}/openapi.json`,
      pid: process.pid,
    });
    return { app, config, url, shutdown };
  } catch (error) {
    failStart(options.service, error, logger);
  }
}
