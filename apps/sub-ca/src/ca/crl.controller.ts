import { Controller, Get, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CrlPublisher, type CaCrl } from '@smpki/ca';
import { Command, CurrentPrincipal, Public, type Principal } from '@smpki/auth';

export const CRL_CONTENT_TYPE = 'application/pkix-crl';

interface CrlView {
  ca: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  /** For a delta CRL: the number of the full CRL it applies to. */
  baseCrlNumber?: number;
}

/** The CRLs of one CA instance: fetched by anyone (relying parties), issued on demand by an operator. */
@ApiTags('ca')
@Controller('v1/cas/:ca/crl')
export class CrlController {
  constructor(private readonly crls: CrlPublisher) {}

  @Get()
  @Public()
  @ApiProduces(CRL_CONTENT_TYPE)
  @ApiOperation({ summary: 'The current full CRL (DER); a new one is signed when the last is past its nextUpdate' })
  async current(@Param('ca') ca: string): Promise<StreamableFile> {
    const crl = await this.crls.currentCrl(ca);
    return new StreamableFile(crl.der, { type: CRL_CONTENT_TYPE, length: crl.der.length });
  }

  @Get('delta')
  @Public()
  @ApiProduces(CRL_CONTENT_TYPE)
  @ApiOperation({ summary: 'The current delta CRL (DER): revocations since the current full CRL, whose number it names' })
  async currentDelta(@Param('ca') ca: string): Promise<StreamableFile> {
    const crl = await this.crls.currentDeltaCrl(ca);
    return new StreamableFile(crl.der, { type: CRL_CONTENT_TYPE, length: crl.der.length });
  }

  @Post('delta')
  @ApiBearerAuth()
  @Command('ca.crl.publish')
  @ApiOperation({ summary: 'Sign a new delta CRL now' })
  @ApiOkResponse({ description: 'The new CRL number, its base CRL number and its validity' })
  async issueDelta(@Param('ca') ca: string, @CurrentPrincipal() principal: Principal): Promise<CrlView> {
    return view(ca, await this.crls.issueDeltaCrl(ca, principal.subject));
  }

  @Post()
  @ApiBearerAuth()
  @Command('ca.crl.publish')
  @ApiOperation({ summary: 'Sign a new full CRL now' })
  @ApiOkResponse({ description: 'The new CRL number and its validity' })
  async issue(@Param('ca') ca: string, @CurrentPrincipal() principal: Principal): Promise<CrlView> {
    return view(ca, await this.crls.issueCrl(ca, principal.subject));
  }
}

function view(ca: string, crl: CaCrl): CrlView {
  return {
    ca,
    crlNumber: crl.crlNumber,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate.toISOString(),
    ...(crl.baseCrlNumber !== null ? { baseCrlNumber: crl.baseCrlNumber } : {}),
  };
}
