import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicRoute } from '../http/public-route.decorator';
import { MetricsRegistry } from './metrics-registry';

export const METRICS_PATH = '/metrics';
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Prometheus scrape endpoint. Public like /readyz: scrapers carry no credentials, and what it shows is counts and
 * ages (no names, serials or errors); keep it off the public network with the health endpoints.
 */
@ApiTags('health')
@PublicRoute()
@Controller()
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  @Get('metrics')
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Metrics in the Prometheus text format 0.0.4' })
  @ApiOkResponse({ description: 'Prometheus text exposition', content: { 'text/plain': { schema: { type: 'string' } } } })
  metrics(): Promise<string> {
    return this.registry.render();
  }
}
