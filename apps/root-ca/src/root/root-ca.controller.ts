import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { parseCeremonyFile, requestFromText, RootCa } from '@smpki/ca';
import { CertifySubCaDto } from './certify-sub-ca.dto';
import { RevocationDto } from '@smpki/ca';
import { RolloverRootDto } from './rollover-root.dto';
import { ceremonyView, rolloverView, rootCrlView, subCaView, type CeremonyView, type RolloverView, type RootCrlView, type SubCaView } from './root-ca.views';
import { RunCeremonyDto } from './run-ceremony.dto';
import { RootCertificateParam, RootParam } from './root-name.param';

export type { CeremonyView, RolloverView, RootCrlView, SubCaView } from './root-ca.views';

/** The root CA's API: the same operations as `smpki root-ca`, for a root host that is reachable. */
@ApiTags('root-ca')
@ApiBearerAuth()
@Controller('v1')
export class RootCaController {
  constructor(private readonly rootCa: RootCa) {}

  @Post('ceremonies')
  @Command('rootca.ceremony.run')
  @ApiOperation({ summary: 'Run a root key ceremony from a ceremony file: key in the HSM, self-signed root, signed transcript' })
  @ApiCreatedResponse({ description: 'The root certificate and the signed transcript' })
  async ceremony(@Body() body: RunCeremonyDto, @CurrentPrincipal() principal: Principal): Promise<CeremonyView> {
    const definition = parseCeremonyFile(body.ceremony);
    return ceremonyView(definition.name, await this.rootCa.ceremony(definition, principal.subject));
  }

  @Post('sub-cas')
  @Command('rootca.ceremony.run')
  @ApiOperation({ summary: 'Certify a sub-CA (sm-sub-ca) or CRL signer (sm-crl-signer) from a PKCS#10 or SM-PKI CRMF request with a root key' })
  @ApiCreatedResponse({ description: 'The certificate (PEM) and the root above it' })
  async certify(@Body() body: CertifySubCaDto, @CurrentPrincipal() principal: Principal): Promise<SubCaView> {
    return subCaView(await this.rootCa.certify(body.root, requestFromText(body.request), principal.subject, body.profile ?? 'sm-sub-ca'));
  }

  @Post('rollovers')
  @Command('rootca.rollover.run')
  @ApiOperation({ summary: 'Roll a root over: new key and generation, link certificates both ways, a new CRL signer when the CRL is indirect' })
  @ApiCreatedResponse({ description: 'The new root, both link certificates, the signed transcript and the new CRL signer' })
  async rollover(@Body() body: RolloverRootDto, @CurrentPrincipal() principal: Principal): Promise<RolloverView> {
    return rolloverView(body.name, await this.rootCa.rollover(body, principal.subject));
  }

  @Post('roots/:root/crl')
  @Command('rootca.crl.publish')
  @ApiParam({ name: 'root', description: 'The root generation', example: 'sm-root-1' })
  @ApiOperation({ summary: "Sign the root's next CRL: by the root key, or an indirect CRL by its CRL signer" })
  @ApiCreatedResponse({ description: 'The CRL (PEM), its number and validity' })
  async crl(@Param() { root }: RootParam, @CurrentPrincipal() principal: Principal): Promise<RootCrlView> {
    return rootCrlView(root, await this.rootCa.crl(root, principal.subject));
  }

  @Post('roots/:root/certificates/:serial/revocation')
  @HttpCode(200)
  @Command('rootca.certificate.revoke')
  @ApiParam({ name: 'root', description: 'The root generation', example: 'sm-root-1' })
  @ApiParam({ name: 'serial', description: 'Serial number of the certificate (hex)' })
  @ApiOperation({ summary: 'Revoke a certificate the root issued, with a reason and an optional invalidity date; sign a CRL afterwards' })
  @ApiOkResponse({ description: 'The revoked certificate' })
  async revoke(@Param() { root, serial }: RootCertificateParam, @Body() body: RevocationDto, @CurrentPrincipal() principal: Principal): Promise<SubCaView> {
    const invalidityDate = body.invalidityDate ? new Date(body.invalidityDate) : undefined;
    return subCaView(await this.rootCa.revoke(root, serial, body.reason, principal.subject, invalidityDate));
  }
}
