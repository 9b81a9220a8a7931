import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { ManufacturerService } from '@smpki/registry';
import { CreateManufacturerDto } from './create-manufacturer.dto';
import { IssueCredentialDto } from './issue-credential.dto';
import { credentialView, manufacturerView } from './meter.views';

/** Manufacturer accounts and their mutual-TLS credentials (administrator). */
@ApiTags('manufacturers')
@ApiBearerAuth()
@Controller('v1/manufacturers')
export class ManufacturersController {
  constructor(private readonly manufacturers: ManufacturerService) {}

  @Post()
  @Command('registry.manufacturer.create')
  @ApiOperation({ summary: 'Onboard a manufacturer (409 when the GLN or FLAG id is taken)' })
  @ApiCreatedResponse({ description: 'The manufacturer account' })
  async create(@Body() body: CreateManufacturerDto, @CurrentPrincipal() principal: Principal) {
    return manufacturerView(await this.manufacturers.create({ name: body.name, gln: body.gln, flagId: body.flagId }, principal.subject));
  }

  @Get()
  @Command('registry.manufacturer.read')
  @ApiOperation({ summary: 'Every manufacturer account' })
  async list() {
    return { manufacturers: (await this.manufacturers.list()).map(manufacturerView) };
  }

  @Get(':id')
  @Command('registry.manufacturer.read')
  @ApiOperation({ summary: 'One manufacturer account' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    return manufacturerView(await this.manufacturers.get(id));
  }

  @Post(':id/credentials')
  @Command('registry.manufacturer.credential.issue')
  @ApiOperation({ summary: "Issue the manufacturer's TLS client certificate (market CA, sm-user-tls) and bind its fingerprint" })
  @ApiCreatedResponse({ description: 'The certificate (PEM), its fingerprint and chain' })
  async issueCredential(@Param('id', ParseUUIDPipe) id: string, @Body() body: IssueCredentialDto, @CurrentPrincipal() principal: Principal) {
    return credentialView(await this.manufacturers.issueCredential(id, body.request, principal.subject));
  }
}
