import type { INestApplication } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config';
import { HEALTH_PATHS } from '../health/health.controller';
import { ServiceLifecycle } from '../health/service-lifecycle';
import { JsonLogger } from '../logging/json-logger';
import { METRICS_PATH } from '../metrics/metrics.controller';
import { requestTrackingMiddleware, type RawMiddleware } from '../logging/request-tracking.middleware';
import { setupOpenApi, type OpenApiOptions } from '../openapi/setup-open-api';

export type ServiceAppOptions = OpenApiOptions & {
  /**
   * Largest JSON body accepted (body-parser syntax, default 100kb). Raised only by services with bulk endpoints
   * (the sub-CA's batch issuance); a larger body is refused with 413 before it is parsed.
   */
  jsonBodyLimit?: string;
  /**
   * Longest time to receive one whole request (Node's `server.requestTimeout`, default 300 s). Raised only by
   * services with streamed uploads (the sub-CA's NDJSON meter registration), where the body is the whole stream.
   */
  requestTimeoutMs?: number;
};

/** Headers on every answer: no content sniffing of JSON, no framework advertisement. */
const hardeningHeaders: RawMiddleware = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.removeHeader('X-Powered-By');
  next();
};

/**
 * What a created (not yet initialised) service application needs before it listens; shared by runService and the
 * end-to-end tests so both run the same setup: JSON logger, request id + access log ahead of everything else,
 * OpenAPI at /openapi.json and /docs. The filter, pipe and readiness come from PlatformModule.
 */
export function configureServiceApp(app: INestApplication, config: ServiceConfig, options: ServiceAppOptions = {}): void {
  const logger = app.get(JsonLogger);
  const lifecycle = app.get(ServiceLifecycle);
  app.useLogger(logger);
  (app.getHttpAdapter().getInstance() as { disable?: (setting: string) => void }).disable?.('x-powered-by');
  // Registered before Nest's own JSON parser, which then sees one applied and adds none.
  (app as INestApplication & { useBodyParser(type: string, options: object): void }).useBodyParser('json', { limit: options.jsonBodyLimit ?? '100kb' });
  app.use(requestTrackingMiddleware({ logger, quietPaths: [...HEALTH_PATHS, METRICS_PATH], isDraining: () => lifecycle.draining }));
  app.use(hardeningHeaders);
  if (options.requestTimeoutMs !== undefined) (app.getHttpServer() as { requestTimeout: number }).requestTimeout = options.requestTimeoutMs;
  setupOpenApi(app, config.service, options);
}
