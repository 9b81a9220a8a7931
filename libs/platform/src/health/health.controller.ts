import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { PublicRoute } from '../http/public-route.decorator';
import { JsonLogger } from '../logging/json-logger';
import { ProblemException } from '../problem/problem.exception';
import { ReadinessService, type CheckResult } from './readiness.service';
import { ServiceLifecycle } from './service-lifecycle';

export const HEALTH_PATHS = ['/healthz', '/readyz'] as const;

export interface PublicCheckResult {
  name: string;
  status: CheckResult['status'];
  durationMs: number;
}

function publicCheck(result: CheckResult): PublicCheckResult {
  return { name: result.name, status: result.status, durationMs: Math.round(result.durationMs * 10) / 10 };
}

/**
 * Liveness and readiness for orchestrators. Both are public (probes carry no credentials) and show no internals:
 * a failing check is named, its error goes to the log.
 */
@ApiTags('health')
@PublicRoute()
@Controller()
export class HealthController {
  private readonly logger: JsonLogger;

  constructor(
    private readonly readiness: ReadinessService,
    private readonly lifecycle: ServiceLifecycle,
    logger: JsonLogger,
  ) {
    this.logger = logger.child('Readiness');
  }

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({
    description: 'Alive',
    schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' }, uptimeSeconds: { type: 'integer' } } },
  })
  healthz(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.lifecycle.startedAt.getTime()) / 1000) };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: every dependency (database, HSM) answers' })
  @ApiOkResponse({
    description: 'Ready',
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', example: 'ready' },
        checks: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, status: { type: 'string' }, durationMs: { type: 'number' } } } },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready: a problem document whose `failedChecks` names the failed checks' })
  async readyz(): Promise<{ status: 'ready'; checks: PublicCheckResult[] }> {
    const report = await this.readiness.report();
    const checks = report.checks.map(publicCheck);
    if (report.ready) return { status: 'ready', checks };

    const failed = report.checks.filter((check) => check.status !== 'ok');
    for (const check of failed) this.logger.warn('readiness check failed', { check: check.name, status: check.status, err: check.error });
    const reasons = [...(report.draining ? ['the service is shutting down'] : []), ...failed.map((check) => `${check.name} (${check.status})`)];
    throw new ProblemException({
      status: 503,
      type: 'not-ready',
      title: 'Service Not Ready',
      detail: `Not ready: ${reasons.join(', ')}`,
      extensions: { checks, failedChecks: failed.map((check) => check.name) },
    });
  }
}
