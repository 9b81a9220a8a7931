import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import type { ServiceConfig } from './config/service-config';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { ServiceLifecycle } from './health/service-lifecycle';
import { ServiceInfoController } from './info/service-info.controller';
import { JsonLogger } from './logging/json-logger';
import { serviceLogger } from './logging/service-logger';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics-registry';
import { ProblemDetailsFilter } from './problem/problem-details.filter';
import { createValidationPipe } from './problem/validation-pipe';
import { ResourceShutdown } from './wiring/resource-shutdown';
import { SERVICE_CONFIG } from './wiring/service-config.token';

export interface PlatformModuleOptions {
  /** A logger other than the service's stdout logger (tests capture lines with their own sink). */
  logger?: JsonLogger;
}

/**
 * What every smpki service shares, global so feature modules inject it without importing: SERVICE_CONFIG,
 * JsonLogger, the problem+json filter and validation pipe (global), /healthz, /readyz, /metrics (MetricsRegistry), /v1/info, and the closing of
 * KEY_MANAGER / DATA_SOURCE at shutdown. Each app's root module imports `PlatformModule.forRoot(config)`.
 */
@Module({})
export class PlatformModule {
  static forRoot(config: ServiceConfig, options: PlatformModuleOptions = {}): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [DiscoveryModule],
      controllers: [HealthController, ServiceInfoController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: JsonLogger, useValue: options.logger ?? serviceLogger(config) },
        ServiceLifecycle,
        ReadinessService,
        ResourceShutdown,
        MetricsRegistry,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: () => createValidationPipe() },
      ],
      exports: [SERVICE_CONFIG, JsonLogger, ServiceLifecycle, ReadinessService, MetricsRegistry],
    };
  }
}
