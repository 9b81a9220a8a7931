import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@smpki/auth';
import { DirectoryStore } from '@smpki/directory';
import { ProblemException } from '@smpki/platform';
import { createHash } from 'node:crypto';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  end(body?: Buffer): void;
}

// Relying parties may cache for a short while; ETag revalidation makes re-fetching a CRL cheap.
const DELTA_SUFFIX = '-delta.crl';
const CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/** CRLs and CA certificates at the stable URLs the certificates name (CRL distribution point, AIA). */
@ApiTags('directory')
@Controller()
export class DistributionController {
  constructor(private readonly store: DirectoryStore) {}

  @Get('crl/:file')
  @Public()
  @ApiProduces('application/pkix-crl')
  @ApiOperation({ summary: 'The current full CRL of a CA instance (DER), e.g. /crl/calibration.crl; its delta CRL at /crl/calibration-delta.crl' })
  async crl(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: HttpResponse): Promise<void> {
    if (file.endsWith(DELTA_SUFFIX)) {
      const entry = await this.store.findCa(caName(file, DELTA_SUFFIX));
      if (!entry?.deltaCrl) throw notPublished(file);
      return send(res, entry.deltaCrl, 'application/pkix-crl', entry.updatedAt, ifNoneMatch);
    }
    const entry = await this.store.findCa(caName(file, '.crl'));
    if (!entry?.crl) throw notPublished(file);
    send(res, entry.crl, 'application/pkix-crl', entry.crlUpdatedAt ?? entry.updatedAt, ifNoneMatch);
  }

  @Get('ca/:file')
  @Public()
  @ApiProduces('application/pkix-cert')
  @ApiOperation({ summary: 'The certificate of a CA instance (DER), e.g. /ca/calibration.cer' })
  async caCertificate(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: HttpResponse): Promise<void> {
    const entry = await this.store.findCa(caName(file, '.cer'));
    if (!entry?.certificate) throw notPublished(file);
    send(res, entry.certificate, 'application/pkix-cert', entry.version, ifNoneMatch);
  }
}

function caName(file: string, extension: string): string {
  if (!file.endsWith(extension) || file.length === extension.length) throw notPublished(file);
  return file.slice(0, -extension.length);
}

function send(res: HttpResponse, der: Buffer, contentType: string, modified: Date, ifNoneMatch: string | undefined): void {
  const etag = `"${createHash('sha256').update(der).digest('base64url')}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', new Date(modified).toUTCString());
  res.setHeader('Cache-Control', CACHE_CONTROL);
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(der.length));
  res.status(200).end(der);
}

function notPublished(file: string): ProblemException {
  return new ProblemException({ status: 404, type: 'directory-not-found', title: 'Not published', detail: `${file} is not published here` });
}
