import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Command, CurrentPrincipal, type Principal } from '@smpki/auth';
import { parseCeremonyFile, requestFromText, RootCa, type SignedCeremonyTranscript } from '@smpki/ca';
import { CertifySubCaDto } from './certify-sub-ca.dto';
import { RunCeremonyDto } from './run-ceremony.dto';

export interface CeremonyView {
  name: string;
  /** PEM of the self-signed root certificate. */
  certificate: string;
  fingerprint: string;
  transcript: SignedCeremonyTranscript;
  /** PEM of the CRL-signer certificate, when the ceremony file asks for an indirect root CRL. */
  crlSigner?: string;
}

export interface SubCaView {
  root: string;
  serial: string;
  profile: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  fingerprint: string;
  /** PEM. */
  certificate: string;
  /** PEM: the root certificate. */
  chain: string[];
}

/** The root CA's API: the same operations as `smpki root-ca`, for a root host that is reachable. */
@ApiTags('root-ca')
@ApiBearerAuth()
@Controller('v1')
export class RootCaController {
  constructor(private readonly rootCa: RootCa) {}

  @Post('ceremonies')
  @Command('rootca.ceremony.run')
  @ApiOperation({ summary: 'Run a root key ceremony from a ceremony file: key in the HSM, self-signed root, signed transcript' })
  @ApiOkResponse({ description: 'The root certificate and the signed transcript' })
  async ceremony(@Body() body: RunCeremonyDto, @CurrentPrincipal() principal: Principal): Promise<CeremonyView> {
    const definition = parseCeremonyFile(body.ceremony);
    const result = await this.rootCa.ceremony(definition, principal.subject);
    return {
      name: definition.name,
      certificate: result.certificate.toPem(),
      fingerprint: result.certificate.fingerprint(),
      transcript: result.transcript,
      ...(result.crlSigner ? { crlSigner: result.crlSigner.toPem() } : {}),
    };
  }

  @Post('sub-cas')
  @Command('rootca.ceremony.run')
  @ApiOperation({ summary: 'Certify a sub-CA (sm-sub-ca) or CRL signer (sm-crl-signer) PKCS#10 request with a root key' })
  @ApiOkResponse({ description: 'The certificate (PEM) and the root above it' })
  async certify(@Body() body: CertifySubCaDto, @CurrentPrincipal() principal: Principal): Promise<SubCaView> {
    const issued = await this.rootCa.certify(body.root, requestFromText(body.request), principal.subject, body.profile ?? 'sm-sub-ca');
    return {
      root: issued.ca,
      serial: issued.serial,
      profile: issued.profile,
      subject: issued.subject,
      notBefore: issued.notBefore.toISOString(),
      notAfter: issued.notAfter.toISOString(),
      fingerprint: issued.fingerprint,
      certificate: issued.pem,
      chain: issued.chain,
    };
  }
}
