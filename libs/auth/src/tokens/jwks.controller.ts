import { Controller, Get, Header, Inject } from '@nestjs/common';
import { AuthSettings } from '../auth-options';
import { Public } from '../decorators/public.decorator';
import type { P256PublicJwk } from './p256-jwk';

/** Publishes the token verification keys so other services and clients can verify tokens (RFC 7517). */
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(AuthSettings) private readonly settings: AuthSettings) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): { keys: P256PublicJwk[] } {
    return this.settings.verificationKeys.jwks();
  }
}
