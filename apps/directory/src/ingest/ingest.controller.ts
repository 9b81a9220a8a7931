import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command } from '@smpki/auth';
import type { IngestResult } from '@smpki/directory';
import { IngestEntriesDto } from './ingest-entries.dto';
import { IngestService } from './ingest.service';

/** The ingest API the CA services' publishers push to (docs/DIRECTORY.md). */
@ApiTags('directory')
@Controller('v1/directory/entries')
export class IngestController {
  constructor(private readonly ingestService: IngestService) {}

  @Post()
  @HttpCode(200)
  @ApiBearerAuth()
  @Command('directory.entry.publish')
  @ApiOperation({ summary: 'Publish entries: idempotent upsert by DN; older versions (and CRL numbers) are ignored' })
  @ApiOkResponse({ description: '`applied`: entries acknowledged (all of the batch); `unchanged`: of those, the ones that changed nothing' })
  ingest(@Body() body: IngestEntriesDto): Promise<IngestResult> {
    return this.ingestService.ingest(body.entries);
  }
}
