import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ProblemException } from '@smpki/platform';
import type { IncomingMessage } from 'node:http';
import { AuthSettings } from '../auth-options';
import { Public } from '../decorators/public.decorator';
import { AuthenticationError } from '../guard/authentication-error';
import { unauthenticatedProblem } from '../problems/auth-problems';
import { BootstrapCredentialService } from './bootstrap-credential.service';

/** OAuth 2.0 token response (RFC 6749 §5.1), so login endpoints to come answer alike. */
export interface AccessTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

@Controller('v1/auth')
export class BootstrapController {
  constructor(
    @Inject(BootstrapCredentialService) private readonly bootstrap: BootstrapCredentialService,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
  ) {}

  /** Exchanges the one-time bootstrap secret (`{ "secret": "smpki-bootstrap-..." }`) for an administrator token. */
  @Public()
  @Post('bootstrap')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async exchange(@Body() body: unknown, @Req() request: IncomingMessage): Promise<AccessTokenResponse> {
    const secret = secretOf(body);
    try {
      const token = await this.bootstrap.exchange(secret, request.socket.remoteAddress ?? 'unknown');
      return { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn };
    } catch (error) {
      if (error instanceof AuthenticationError) throw unauthenticatedProblem(error, this.settings.audience);
      throw error;
    }
  }
}

function secretOf(body: unknown): string {
  const secret = typeof body === 'object' && body !== null ? (body as { secret?: unknown }).secret : undefined;
  if (typeof secret === 'string' && secret.length > 0) return secret;
  throw ProblemException.validation([{ field: 'secret', rule: 'isString', message: 'secret must be the bootstrap secret printed at start-up' }]);
}
