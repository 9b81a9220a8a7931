import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { ServiceConfig } from '../config/service-config';
import { ServiceLifecycle } from '../health/service-lifecycle';
import { PublicRoute } from '../http/public-route.decorator';
import { SERVICE_CONFIG } from '../wiring/service-config.token';
import { readProjectVersion } from './package-version';

export class ServiceInfo {
  @ApiProperty({ example: 'sub-ca', enum: ['root-ca', 'sub-ca', 'skm', 'directory'] })
  service!: string;

  @ApiProperty({ example: 'smpki-sub-ca' })
  name!: string;

  @ApiProperty({ example: '0.1.0', description: 'smpki release (package.json)' })
  version!: string;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z', format: 'date-time' })
  startedAt!: string;
}

/** `GET /v1/info`: which service, which release, up since when. Every service has it, so it lives here. */
@ApiTags('service')
@PublicRoute()
@Controller('v1/info')
export class ServiceInfoController {
  private readonly version = readProjectVersion();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Service name, release and start time' })
  @ApiOkResponse({ type: ServiceInfo })
  info(): ServiceInfo {
    return { service: this.config.service, name: this.config.displayName, version: this.version, startedAt: this.lifecycle.startedAt.toISOString() };
  }
}
