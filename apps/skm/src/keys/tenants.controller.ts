import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { TenantService } from '@smpki/skm';
import { AddTenantMemberDto, CreateTenantDto } from './skm.dtos';
import { tenantView } from './skm.views';

/** Tenants (metering service providers) and the callers bound to them (administrator). */
@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantService) {}

  @Post()
  @Command('skm.tenant.create')
  @ApiOperation({ summary: 'Create a tenant and its master key in the HSM (409 when the market-partner id is taken)' })
  async create(@Body() body: CreateTenantDto, @CurrentPrincipal() principal: Principal) {
    return tenantView(await this.tenants.create({ name: body.name, marketPartnerId: body.marketPartnerId, ...(body.masterBits && { masterBits: body.masterBits }) }, principal.subject));
  }

  @Get()
  @Command('skm.tenant.read')
  @ApiOperation({ summary: 'Every tenant' })
  async list() {
    return { tenants: (await this.tenants.list()).map(tenantView) };
  }

  @Get(':id')
  @Command('skm.tenant.read')
  @ApiOperation({ summary: 'One tenant' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return tenantView(await this.tenants.get(id));
  }

  @Post(':id/members')
  @Command('skm.tenant.member.add')
  @ApiOperation({ summary: 'Bind a caller (token subject or certificate DN) to the tenant: its key commands act on this tenant only' })
  async addMember(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddTenantMemberDto, @CurrentPrincipal() principal: Principal) {
    const member = await this.tenants.addMember(id, body.subject, principal.subject);
    return { tenantId: member.tenantId, subject: member.subject };
  }
}
