import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { MeterIdPipe } from '../keys/meter-id.pipe';
import { DlmsProtectDto, DlmsUnprotectDto, OmsDecryptDto } from './crypto.dtos';
import { CryptoServices } from './key-services';

const hex = (value: Buffer): string => value.toString('hex').toUpperCase();

/** DLMS suite 0 and OMS for head-end systems that hold no keys: the meter's active keys are used inside the HSM. */
@ApiTags('crypto service')
@ApiBearerAuth()
@Controller('v1')
export class MeterCryptoController {
  constructor(private readonly services: CryptoServices) {}

  @Post('dlms/:meterId/protect')
  @HttpCode(200)
  @Command('skm.crypto.dlms')
  @ApiOperation({ summary: 'Protect an APDU with suite 0 (GUEK, or GBEK for broadcast, and AK of the meter)' })
  async protect(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: DlmsProtectDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.services.tenantOf(principal);
    const request = {
      securityControl: body.securityControl,
      apdu: Buffer.from(body.apdu, 'hex'),
      systemTitle: Buffer.from(body.systemTitle, 'hex'),
      ...(body.invocationCounter !== undefined && { invocationCounter: body.invocationCounter }),
    };
    const result = await this.services.dlms.protect(tenant, meterId, request);
    return { apdu: hex(result.apdu), invocationCounter: result.invocationCounter };
  }

  @Post('dlms/:meterId/unprotect')
  @HttpCode(200)
  @Command('skm.crypto.dlms')
  @ApiOperation({ summary: 'Verify and decrypt a ciphered APDU of the meter; a replayed or stale invocation counter is refused' })
  async unprotect(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: DlmsUnprotectDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.services.tenantOf(principal);
    const request = { apdu: Buffer.from(body.apdu, 'hex'), ...(body.systemTitle !== undefined && { systemTitle: Buffer.from(body.systemTitle, 'hex') }) };
    const result = await this.services.dlms.unprotect(tenant, meterId, request);
    return { apdu: hex(result.apdu), securityControl: result.securityControl, invocationCounter: result.invocationCounter };
  }

  @Post('oms/:meterId/decrypt')
  @HttpCode(200)
  @Command('skm.crypto.oms')
  @ApiOperation({ summary: 'Check the MAC (mode 7) and decrypt a wireless M-Bus telegram (mode 5 or 7) with the meter key' })
  async decrypt(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: OmsDecryptDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.services.tenantOf(principal);
    const result = await this.services.oms.decrypt(tenant, meterId, Buffer.from(body.telegram, 'hex'), body.direction);
    return { mode: result.mode, plaintext: hex(result.plaintext), ...(result.counter !== undefined && { counter: result.counter }) };
  }
}
