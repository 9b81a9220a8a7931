import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { requestFromText } from '@smpki/ca';
import { Command } from '@smpki/auth';
import { lintCertificate, type LintResult } from '@smpki/policy';
import { LintCertificateDto } from './lint-certificate.dto';

/** The SM-PKI profile rules over any certificate, as `smpki lint` runs them. */
@ApiTags('ca')
@ApiBearerAuth()
@Controller('v1/lint')
export class LintController {
  @Post()
  @HttpCode(200)
  @Command('ca.lint')
  @ApiOperation({ summary: 'Lint a certificate against an SM-PKI profile; each finding names its rule' })
  @ApiOkResponse({ description: 'The profile linted against and the findings (empty: the certificate passes)' })
  lint(@Body() body: LintCertificateDto): LintResult {
    const certificate = der(body.certificate, 'certificate');
    const issuer = body.issuer === undefined ? undefined : der(body.issuer, 'issuer');
    return lintCertificate(certificate, { ...(body.profile ? { profile: body.profile } : {}), ...(issuer ? { issuer } : {}) });
  }
}

/** PEM is read by the linter as is; anything else must be base64 (bad base64 is a 400 naming the field). */
function der(text: string, field: string): string | Buffer {
  return requestFromText(text, field, { type: 'lint-input-invalid', title: 'Certificate to lint not readable' });
}
