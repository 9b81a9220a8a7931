import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaRegistry, CertificateIssuer, CertificateLookup, CertificateRevoker, requestFromText } from '@smpki/ca';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { batchView, type BatchView } from './batch-result.view';
import { certificateView, type CertificateView } from './certificate.view';
import { IssueBatchDto } from './issue-batch.dto';
import { CrmfRequestDto } from './crmf-request.dto';
import { IssueCertificateDto } from './issue-certificate.dto';
import { RevocationDto } from '@smpki/ca';

/** Issuance, lookup and revocation of the certificates of one CA instance. */
@ApiTags('ca')
@ApiBearerAuth()
@Controller('v1/cas/:ca')
export class CertificatesController {
  constructor(
    private readonly issuer: CertificateIssuer,
    private readonly lookup: CertificateLookup,
    private readonly revoker: CertificateRevoker,
    private readonly registry: CaRegistry,
  ) {}

  @Post('certificates')
  @Command('ca.certificate.issue')
  @ApiOperation({ summary: 'Issue a certificate from a PKCS#10 request under a profile' })
  @ApiOkResponse({ description: 'The certificate (PEM) and its chain' })
  async issue(@Param('ca') ca: string, @Body() body: IssueCertificateDto, @CurrentPrincipal() principal: Principal): Promise<CertificateView> {
    return certificateView(await this.issuer.issueFromPkcs10(ca, body.profile, requestFromText(body.request), principal.subject));
  }

  @Post('certificates/batch')
  @HttpCode(200)
  @Command('ca.certificate.issue')
  @ApiOperation({
    summary: 'Issue a batch of PKCS#10 requests (a production batch): one result per item, a bad item does not fail the others',
  })
  @ApiOkResponse({ description: 'Counts, the chain once, and per item (in request order) the certificate or the problem document' })
  async issueBatch(@Param('ca') ca: string, @Body() body: IssueBatchDto, @CurrentPrincipal() principal: Principal): Promise<BatchView> {
    const results = await this.issuer.issueBatchFromPkcs10(ca, body.items, principal.subject);
    return batchView(results, this.registry.get(ca).chainPem());
  }

  @Post('crmf')
  @Command('ca.certificate.issue')
  @ApiOperation({
    summary: 'Issue the certificates of an SM-PKI CRMF request: initial (SIG, ENC, TLS) or renewal signed with the old signature key',
  })
  @ApiOkResponse({ description: 'One certificate per request, in request order' })
  async crmf(@Param('ca') ca: string, @Body() body: CrmfRequestDto, @CurrentPrincipal() principal: Principal): Promise<{ certificates: CertificateView[] }> {
    const request = requestFromText(body.request);
    const issued = await this.issuer.issueFromSmPkiRequest(ca, typeof request === 'string' ? Buffer.from(request) : request, principal.subject);
    return { certificates: issued.map(certificateView) };
  }

  @Get('certificates/:serial')
  @Command('ca.certificate.read')
  @ApiOperation({ summary: 'A certificate of this CA by serial number (hex), with its status' })
  async get(@Param('ca') ca: string, @Param('serial') serial: string): Promise<CertificateView> {
    return certificateView(await this.lookup.find(ca, serial));
  }

  @Post('certificates/:serial/revocation')
  @HttpCode(200)
  @Command('ca.certificate.revoke')
  @ApiOperation({ summary: 'Revoke a certificate with a reason and an optional invalidity date' })
  async revoke(
    @Param('ca') ca: string,
    @Param('serial') serial: string,
    @Body() body: RevocationDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CertificateView> {
    const request = { reason: body.reason, ...(body.invalidityDate ? { invalidityDate: new Date(body.invalidityDate) } : {}) };
    return certificateView(await this.revoker.revoke(ca, serial, request, principal.subject));
  }
}
