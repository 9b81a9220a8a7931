// Configuration
export { SERVICE_NAMES, DEFAULT_HTTP_PORTS, serviceDisplayName, isServiceName, type ServiceName } from './config/service-name';
export type { ServiceConfig, HttpConfig, TlsConfig, DatabaseConfig, HsmConfig, AuthConfig, AccessConfig, AuditConfig, RequiredSection } from './config/service-config';
export { ConfigurationError, formatConfigurationError } from './config/configuration-error';
export { loadServiceConfig, type LoadServiceConfigOptions } from './config/load-service-config';
export type { Environment } from './config/env-setting';
export { REDACTED } from './config/config-redaction';

// Logging
export { JsonLogger, type JsonLoggerOptions, type LogFields, type LogSink } from './logging/json-logger';
export { LOG_LEVEL_NAMES, type LogLevelName } from './logging/log-level';
export { isSensitiveKey, REDACTED_VALUE } from './logging/sensitive-keys';
export { serviceLogger } from './logging/service-logger';
export { currentRequestContext, runInRequestContext, type RequestContext } from './logging/request-context';
export { REQUEST_ID_HEADER, requestIdOf } from './logging/request-id';

// Problem details
export { ProblemException, type ProblemInit } from './problem/problem.exception';
export { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_PREFIX, problemType, type ProblemDocument, type FieldError } from './problem/problem-document';
export { ProblemDetailsFilter } from './problem/problem-details.filter';
export { REFUSAL_RECORDER, REFUSAL_STATUSES, type RefusalRecorder } from './problem/refusal-recorder';
export { createValidationPipe, fieldErrorsFrom } from './problem/validation-pipe';

// Health
export { HealthController } from './health/health.controller';
export {
  READINESS_CHECKS,
  READINESS_CHECK_TIMEOUT_MS,
  provideReadinessCheck,
  type ReadinessCheck,
  type ReadinessCheckSource,
} from './health/readiness-check';
export { ReadinessService, type ReadinessReport, type CheckResult } from './health/readiness.service';
export { ServiceLifecycle } from './health/service-lifecycle';
export { databaseReadinessCheck, keyManagerReadinessCheck } from './health/standard-readiness-checks';

// Metrics
export { MetricsRegistry, type MetricDefinition, type MetricType } from './metrics/metrics-registry';
export { MetricsController, METRICS_PATH, PROMETHEUS_CONTENT_TYPE } from './metrics/metrics.controller';

// HTTP
export { PUBLIC_ROUTE, PublicRoute } from './http/public-route.decorator';

// OpenAPI and service info
export { setupOpenApi, OPENAPI_JSON_PATH, SWAGGER_UI_PATH, type OpenApiOptions } from './openapi/setup-open-api';
export { ServiceInfoController, ServiceInfo } from './info/service-info.controller';

// Wiring tokens for the libraries the lead plugs in
export { SERVICE_CONFIG } from './wiring/service-config.token';
export { KEY_MANAGER, type KeyManagerPort } from './wiring/key-manager.token';
export { DATA_SOURCE, type DataSourcePort } from './wiring/data-source.token';
export { AUDIT_TRAIL, type AuditTrailPort, type AuditEventPort } from './wiring/audit-trail.token';

// Module and bootstrap
export { PlatformModule, type PlatformModuleOptions } from './platform.module';
export type { ServiceRootModule } from './bootstrap/service-root-module';
export { configureServiceApp, type ServiceAppOptions } from './bootstrap/configure-service-app';
export { buildHttpsOptions, SERVER_TLS_GROUPS } from './bootstrap/https-options';
export { installBrainpoolLegacyCertificateFix, brainpoolLegacyObject, isBrainpoolCertificate } from './tls/brainpool-legacy-certificate';
export { installGracefulShutdown, type GracefulShutdown, type GracefulShutdownOptions } from './bootstrap/graceful-shutdown';
export { runService, type RunServiceOptions, type RunningService } from './bootstrap/run-service';
