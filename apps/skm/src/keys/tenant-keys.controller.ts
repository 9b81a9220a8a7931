import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { MasterKeyRotationService, ProviderChangeService, TenantService, TransportKeyService } from '@smpki/skm';
import { CreateTransportKeyDto, ProviderChangeDto } from './skm.dtos';
import { tenantView, transportKeyView } from './skm.views';
import { TenantCallers } from './tenant-callers';

/** The caller's tenant: its transport keys, its master-key rotation and the hand-over of meters to another tenant. */
@ApiTags('tenant keys')
@ApiBearerAuth()
@Controller('v1')
export class TenantKeysController {
  constructor(
    private readonly callers: TenantCallers,
    private readonly tenants: TenantService,
    private readonly transportKeys: TransportKeyService,
    private readonly rotation: MasterKeyRotationService,
    private readonly providerChange: ProviderChangeService,
  ) {}

  @Get('tenant')
  @Command('skm.key.read')
  @ApiOperation({ summary: 'The tenant you act for' })
  async tenant(@CurrentPrincipal() principal: Principal) {
    return tenantView(await this.callers.tenantOf(principal));
  }

  @Post('transport-keys')
  @Command('skm.transport-key.create')
  @ApiOperation({ summary: 'Generate a transport key in the HSM, or enter one from key components; answers its KCV' })
  async createTransportKey(@Body() body: CreateTransportKeyDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.callers.tenantOf(principal);
    return transportKeyView(await this.transportKeys.create(tenant, body, principal.subject));
  }

  @Get('transport-keys')
  @Command('skm.transport-key.read')
  @ApiOperation({ summary: 'Your transport keys' })
  async listTransportKeys(@CurrentPrincipal() principal: Principal) {
    return { transportKeys: (await this.transportKeys.list(await this.callers.tenantOf(principal))).map(transportKeyView) };
  }

  @Post('master-key/rotation')
  @HttpCode(200)
  @Command('skm.master.rotate')
  @ApiOperation({ summary: 'Rotate your master key: every key re-wrapped inside the HSM, the old master destroyed' })
  async rotateMaster(@CurrentPrincipal() principal: Principal) {
    const tenant = await this.callers.tenantOf(principal);
    return this.rotation.rotate(tenant.id, principal.subject);
  }

  @Post('provider-changes')
  @HttpCode(200)
  @Command('skm.provider-change.run')
  @ApiOperation({ summary: 'Hand the keys of your meters over to another tenant (re-wrapped in the HSM; all or nothing)' })
  async changeProvider(@Body() body: ProviderChangeDto, @CurrentPrincipal() principal: Principal) {
    const from = await this.callers.tenantOf(principal);
    const to = await this.tenants.byMarketPartnerId(body.toTenant, 'toTenant');
    return this.providerChange.transfer(from, to, body.meterIds, principal.subject);
  }
}
