import { Inject, Injectable } from '@nestjs/common';
import { isRole } from '@smpki/policy';
import { randomUUID } from 'node:crypto';
import { AuthSettings } from '../auth-options';
import type { TokenSubject } from '../principal';
import { signCompactJws } from './compact-jws';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, type AccessTokenClaims } from './token-claims';

export interface IssuedToken {
  /** The compact JWS, for `Authorization: Bearer`. */
  readonly accessToken: string;
  readonly tokenId: string;
  readonly expiresAt: Date;
  /** Seconds, as OAuth's `expires_in`. */
  readonly expiresIn: number;
}

/** Issues access tokens signed by the HSM key; every login flow (bootstrap now, WebAuthn later) ends here. */
@Injectable()
export class TokenService {
  constructor(@Inject(AuthSettings) private readonly settings: AuthSettings) {}

  get canIssue(): boolean {
    return this.settings.tokenSigner !== undefined;
  }

  /** `ttlSeconds` defaults to, and may not exceed, the configured token lifetime. */
  async issue(subject: TokenSubject, ttlSeconds: number = this.settings.tokenTtlSeconds): Promise<IssuedToken> {
    const { tokenSigner, signingKeyId } = this.settings;
    if (!tokenSigner || !signingKeyId) throw new Error('auth: this service has no token signer; it verifies tokens only');
    assertIssuable(subject, ttlSeconds, this.settings.tokenTtlSeconds);
    const now = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      iss: this.settings.issuer,
      aud: this.settings.audience,
      sub: subject.subject,
      iat: now,
      nbf: now,
      exp: now + ttlSeconds,
      jti: randomUUID(),
      roles: [...subject.roles],
    };
    const header = { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: signingKeyId };
    const accessToken = await signCompactJws(header, { ...claims }, tokenSigner);
    return { accessToken, tokenId: claims.jti, expiresAt: new Date(claims.exp * 1000), expiresIn: ttlSeconds };
  }
}

function assertIssuable(subject: TokenSubject, ttlSeconds: number, maxTtlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxTtlSeconds) {
    throw new Error(`auth: token lifetime must be an integer from 1 to ${maxTtlSeconds} seconds, got ${ttlSeconds}`);
  }
  if (typeof subject.subject !== 'string' || subject.subject === '') throw new Error('auth: a token needs a subject');
  const unknown = subject.roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new Error(`auth: cannot issue a token with unknown role(s) ${unknown.join(', ')}`);
}
