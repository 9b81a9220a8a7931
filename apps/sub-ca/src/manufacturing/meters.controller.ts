import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CaRegistry } from '@smpki/ca';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { DEFAULT_METER_CERTIFICATE_OPTIONS, MeterQueryService, MeterRegistrationService, MeterRetirementService, type MeterItemResult } from '@smpki/registry';
import { ListMetersQuery } from './list-meters.query';
import { ManufacturerCallers } from './manufacturer-callers';
import { meterBatchView, meterRecordView, meterView, singleItemView, type MeterBatchView } from './meter.views';
import { MeterBatchDto } from './meter-batch.dto';
import { MeterItemDto } from './meter-item.dto';
import { MeterReplacementDto } from './meter-replacement.dto';
import { MeterStreamRegistration } from './meter-stream-registration';
import { ClientGoneError, NDJSON_CONTENT_TYPE, NdjsonAnswer, requireNdjson } from './ndjson-answer';

/** What of the response a handler sets: 201 for a new certificate, 200 for the stored one. */
interface StatusResponse {
  status(code: number): unknown;
}

/** Meter registration at calibration (manufacturers over mutual TLS); reading for operators and auditors too. */
@ApiTags('meters')
@Controller('v1/meters')
export class MetersController {
  constructor(
    private readonly registration: MeterRegistrationService,
    private readonly retirement: MeterRetirementService,
    private readonly query: MeterQueryService,
    private readonly callers: ManufacturerCallers,
    private readonly registry: CaRegistry,
    private readonly streams: MeterStreamRegistration,
  ) {}

  @Post('batch')
  @HttpCode(200)
  @Command('registry.meter.register')
  @ApiOperation({ summary: 'Register a production batch: per meter its certificate, the stored one (`existing`), or a problem; idempotent' })
  @ApiOkResponse({ description: 'Counts, the chain once, and per item (in request order) the certificate or the problem document' })
  async registerBatch(@Body() body: MeterBatchDto, @CurrentPrincipal() principal: Principal): Promise<MeterBatchView> {
    const results = await this.registration.registerBatch(await this.callers.caller(principal), body.items);
    return meterBatchView(results, this.registry.get(DEFAULT_METER_CERTIFICATE_OPTIONS.ca).chainPem());
  }

  @Post('stream')
  @Command('registry.meter.register')
  @ApiConsumes(NDJSON_CONTENT_TYPE)
  @ApiProduces(NDJSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'Register a stream of meters: one batch item per NDJSON line in, one result line per item out (in order, per chunk), then a summary line; idempotent' })
  @ApiOkResponse({ description: 'NDJSON: `{index, meterId, status, certificate|problem}` per input line, then `{summary: {issued, existing, refused, failed}, chain}`' })
  async registerStream(@Req() request: IncomingMessage, @Res() response: ServerResponse, @CurrentPrincipal() principal: Principal): Promise<void> {
    requireNdjson(request.headers['content-type']);
    const caller = await this.callers.caller(principal);
    const answer = new NdjsonAnswer(response);
    try {
      await this.streams.run(caller, request, answer);
      answer.end();
    } catch (error) {
      // Before the first line the platform answers with a problem; after it only the missing summary can tell.
      if (!answer.started) throw error;
      if (!(error instanceof ClientGoneError) && !request.destroyed) new Logger(MetersController.name).error(`meter stream ended early: ${(error as Error).message}`);
      answer.abort();
    }
  }

  @Post()
  @Command('registry.meter.register')
  @ApiOperation({ summary: 'Register one meter: 201 with a new certificate, 200 with the stored one, or a problem' })
  async register(@Body() body: MeterItemDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: StatusResponse) {
    const [result] = await this.registration.registerBatch(await this.callers.caller(principal), [body]);
    return answer(result!, response);
  }

  @Get()
  @Command('registry.meter.read')
  @ApiOperation({ summary: "The caller's meters (all meters for operators and auditors), in meter id order, keyset paging" })
  async list(@Query() query: ListMetersQuery, @CurrentPrincipal() principal: Principal) {
    const page = await this.query.list(await this.callers.readScope(principal), query);
    return { meters: page.meters.map((meter) => meterView(meter)), ...(page.next ? { next: page.next } : {}) };
  }

  @Get(':meterId')
  @Command('registry.meter.read')
  @ApiOperation({ summary: 'A meter with its status and current certificate (404 for a meter of another manufacturer)' })
  async get(@Param('meterId') meterId: string, @CurrentPrincipal() principal: Principal) {
    return meterRecordView(await this.query.find(await this.callers.readScope(principal), meterId));
  }

  @Post(':meterId/replacement')
  @Command('registry.meter.replace')
  @ApiOperation({ summary: 'Re-enrol a meter with a new key: the old certificate is revoked with the reason, a new one issued' })
  async replace(@Param('meterId') meterId: string, @Body() body: MeterReplacementDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: StatusResponse) {
    const result = await this.registration.replace(await this.callers.caller(principal), { meterId, request: body.request }, body.reason ?? 'superseded');
    return answer(result, response);
  }

  @Post(':meterId/retirement')
  @HttpCode(200)
  @Command('registry.meter.retire')
  @ApiOperation({ summary: 'Retire a meter: its certificate is revoked (cessationOfOperation)' })
  async retire(@Param('meterId') meterId: string, @CurrentPrincipal() principal: Principal) {
    return meterView(await this.retirement.retire(await this.callers.caller(principal), meterId));
  }
}

/** A single item's answer; a refused or failed item is the request's problem. */
function answer(result: MeterItemResult, response: StatusResponse) {
  if ('problem' in result) throw result.problem;
  response.status(result.status === 'issued' ? 201 : 200);
  return singleItemView(result);
}
