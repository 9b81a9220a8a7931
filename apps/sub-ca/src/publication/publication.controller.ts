import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command } from '@smpki/auth';
import type { PublicationStatus } from '@smpki/ca';
import { PublicationService } from './publication.service';

/** Publication lag of the directory pipeline (docs/DIRECTORY.md). */
@ApiTags('ca')
@Controller('v1/publication')
export class PublicationController {
  constructor(private readonly publication: PublicationService) {}

  @Get('status')
  @ApiBearerAuth()
  @Command('ca.publication.read')
  @ApiOperation({ summary: 'Outbox rows the directory does not hold yet, the age of the oldest, and the last error' })
  @ApiOkResponse({ description: '{ pending, oldestPendingAgeSeconds, lastError? }' })
  status(): Promise<PublicationStatus> {
    return this.publication.status();
  }
}
