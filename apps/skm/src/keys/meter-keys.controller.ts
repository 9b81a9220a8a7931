import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { ProblemException } from '@smpki/platform';
import { METER_KEY_KINDS, MeterKeyService, type MeterKeyKind } from '@smpki/skm';
import { MeterIdPipe } from './meter-id.pipe';
import { ExportKeyDto, GenerateKeysDto, ImportKeyDto, RotateKeysDto } from './skm.dtos';
import { keyExportView, meterKeyView } from './skm.views';
import { TenantCallers } from './tenant-callers';

function kindOf(value: string): MeterKeyKind {
  if ((METER_KEY_KINDS as readonly string[]).includes(value)) return value as MeterKeyKind;
  throw ProblemException.validation([{ field: 'kind', rule: 'isIn', message: `kind must be one of ${METER_KEY_KINDS.join(', ')}` }]);
}

/** The keys of one meter of the caller's tenant. */
@ApiTags('meter keys')
@ApiBearerAuth()
@Controller('v1/meters/:meterId/keys')
export class MeterKeysController {
  constructor(
    private readonly callers: TenantCallers,
    private readonly keys: MeterKeyService,
  ) {}

  @Get()
  @Command('skm.key.read')
  @ApiOperation({ summary: 'Every key version of the meter (state, KCV; never key material)' })
  async list(@Param('meterId', MeterIdPipe) meterId: string, @CurrentPrincipal() principal: Principal) {
    return { keys: (await this.keys.rowsOf(await this.callers.tenantOf(principal), meterId)).map(meterKeyView) };
  }

  @Post()
  @Command('skm.key.generate')
  @ApiOperation({ summary: 'Generate the DLMS key set or the wM-Bus key in the HSM (version 1, active)' })
  async generate(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: GenerateKeysDto, @CurrentPrincipal() principal: Principal) {
    const rows = await this.keys.generate(await this.callers.tenantOf(principal), meterId, body.type, body.bits ?? 128, principal.subject);
    return { keys: rows.map(meterKeyView) };
  }

  @Post('import')
  @Command('skm.key.import')
  @ApiOperation({ summary: 'Import a key wrapped under one of your transport keys; its KCV must match' })
  async import(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: ImportKeyDto, @CurrentPrincipal() principal: Principal) {
    return meterKeyView(await this.keys.import(await this.callers.tenantOf(principal), meterId, body, principal.subject));
  }

  @Post(':kind/export')
  @HttpCode(200)
  @Command('skm.key.export')
  @ApiOperation({ summary: "Export a key wrapped under the recipient's transport key (audited)" })
  async export(@Param('meterId', MeterIdPipe) meterId: string, @Param('kind') kind: string, @Body() body: ExportKeyDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.callers.tenantOf(principal);
    return keyExportView(await this.keys.export(tenant, meterId, kindOf(kind), body.transportKey, principal.subject, body.version));
  }

  @Post('rotation')
  @Command('skm.key.rotate')
  @ApiOperation({ summary: 'New pending key versions; each becomes active when the meter confirms the key change' })
  async rotate(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: RotateKeysDto, @CurrentPrincipal() principal: Principal) {
    return { keys: (await this.keys.rotate(await this.callers.tenantOf(principal), meterId, principal.subject, body.kinds)).map(meterKeyView) };
  }

  @Post(':kind/confirmation')
  @HttpCode(200)
  @Command('skm.key.confirm')
  @ApiOperation({ summary: 'The meter confirmed the key change: the pending version becomes active, the previous one retired' })
  async confirm(@Param('meterId', MeterIdPipe) meterId: string, @Param('kind') kind: string, @CurrentPrincipal() principal: Principal) {
    return meterKeyView(await this.keys.confirm(await this.callers.tenantOf(principal), meterId, kindOf(kind), principal.subject));
  }

  @Delete()
  @Command('skm.key.destroy')
  @ApiOperation({ summary: 'Destroy every key of the meter (blobs erased, rows kept as history)' })
  async destroyAll(@Param('meterId', MeterIdPipe) meterId: string, @CurrentPrincipal() principal: Principal) {
    return { keys: (await this.keys.destroy(await this.callers.tenantOf(principal), meterId, principal.subject)).map(meterKeyView) };
  }

  @Delete(':kind/:version')
  @Command('skm.key.destroy')
  @ApiOperation({ summary: 'Destroy one key version (blob erased, row kept as history)' })
  async destroy(@Param('meterId', MeterIdPipe) meterId: string, @Param('kind') kind: string, @Param('version', ParseIntPipe) version: number, @CurrentPrincipal() principal: Principal) {
    return { keys: (await this.keys.destroy(await this.callers.tenantOf(principal), meterId, principal.subject, kindOf(kind), version)).map(meterKeyView) };
  }
}
