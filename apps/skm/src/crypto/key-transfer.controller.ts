import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { MeterIdPipe } from '../keys/meter-id.pipe';
import { meterKeyView } from '../keys/skm.views';
import { KeyTransferDto } from './crypto.dtos';
import { CryptoServices } from './key-services';

/** DLMS key change: new pending versions and the global_key_transfer parameter that carries them to the meter. */
@ApiTags('meter keys')
@ApiBearerAuth()
@Controller('v1/meters/:meterId/keys')
export class KeyTransferController {
  constructor(private readonly services: CryptoServices) {}

  @Post('transfer')
  @Command('skm.key.transfer')
  @ApiOperation({ summary: "New pending key versions wrapped under the meter's KEK as the global_key_transfer parameter (hex)" })
  async transfer(@Param('meterId', MeterIdPipe) meterId: string, @Body() body: KeyTransferDto, @CurrentPrincipal() principal: Principal) {
    const tenant = await this.services.tenantOf(principal);
    const transfer = await this.services.keyTransfer.transfer(tenant, meterId, principal.subject, body.kinds);
    return {
      keys: transfer.keys.map(meterKeyView),
      kek: meterKeyView(transfer.kek),
      reissued: transfer.reissued,
      globalKeyTransfer: transfer.parameter.toString('hex').toUpperCase(),
    };
  }
}
