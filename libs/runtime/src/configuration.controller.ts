import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command } from '@smpki/auth';
import { SERVICE_CONFIG, type ServiceConfig } from '@smpki/platform';
import { auditableSettings, type AuditableSettings } from './configuration-audit';

/** What the service runs with, secrets left out: the same summary its start records in the audit trail. */
@ApiTags('platform')
@ApiBearerAuth()
@Controller('v1/configuration')
export class ConfigurationController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  @Get()
  @Command('platform.info.read')
  @ApiOperation({ summary: 'The effective configuration, without PINs or passwords' })
  @ApiOkResponse({ description: 'Flattened settings, e.g. {"http.port": 8420}' })
  settings(): AuditableSettings {
    return auditableSettings(this.config);
  }
}
