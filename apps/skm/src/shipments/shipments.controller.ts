import { Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, Public, type Principal } from '@smpki/auth';
import { ShipmentExportService, ShipmentImportService, SkmEncryptionIdentity, WrappedKeyImportService } from '@smpki/skm';
import { TenantCallers } from '../keys/tenant-callers';
import { ExportShipmentDto, ImportShipmentDto, ImportWrappedKeysDto } from './shipment.dtos';

/** Key shipments in CMS envelopes: in from manufacturers, out to head-end systems (docs/SKM.md). */
@ApiTags('key shipments')
@ApiBearerAuth()
@Controller('v1')
export class ShipmentsController {
  constructor(
    private readonly callers: TenantCallers,
    private readonly identity: SkmEncryptionIdentity,
    private readonly imports: ShipmentImportService,
    private readonly exports: ShipmentExportService,
    private readonly wrappedImports: WrappedKeyImportService,
  ) {}

  // Public like a CA certificate: manufacturers encrypt to it without an account at the SKM.
  @Get('encryption-certificate')
  @Public()
  @Header('Content-Type', 'application/x-pem-file')
  @ApiOperation({ summary: 'The certificate (brainpoolP256r1, key in the HSM) manufacturers encrypt key shipments to' })
  async certificate(): Promise<string> {
    return (await this.identity.get()).pem;
  }

  @Post('shipments/import')
  @HttpCode(200)
  @Command('skm.key.import')
  @ApiOperation({ summary: 'Import a CMS key shipment (all keys, or keys from..from+count); idempotent; nothing stored on any refusal' })
  async import(@Body() body: ImportShipmentDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.callers.tenantOf(principal);
    return this.imports.importEnvelope(tenant, Buffer.from(body.envelope, 'base64'), principal.subject, { from: body.from, count: body.count });
  }

  @Post('meters/keys/import')
  @HttpCode(200)
  @Command('skm.key.import')
  @ApiOperation({ summary: 'Import up to 5000 keys wrapped under a transport key; per key imported, existing or refused (with rule); idempotent' })
  async importWrapped(@Body() body: ImportWrappedKeysDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.callers.tenantOf(principal);
    return this.wrappedImports.importWrapped(tenant, body.transportKey, body.items, principal.subject);
  }

  @Post('shipments/export')
  @HttpCode(200)
  @Command('skm.key.export')
  @ApiOperation({ summary: "Export the meters' active keys in a CMS envelope to the recipient's certificate (audited)" })
  async export(@Body() body: ExportShipmentDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.callers.tenantOf(principal);
    const { envelope, keys } = await this.exports.exportEnvelope(tenant, body, principal.subject);
    return { envelope: envelope.toString('base64'), keys: keys.map(({ meterId, kind, version, kcv }) => ({ meterId, kind, version, kcv })) };
  }
}
