import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, type JWTPayload, type JWSHeaderParameters } from 'jose';
import type { KeyObject } from 'node:crypto';
import { AuthSettings } from '../auth-options';
import type { Principal } from '../principal';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, REQUIRED_CLAIMS } from './token-claims';

/** Far above any token this platform issues; refuses oversized input before any parsing. */
const MAX_TOKEN_LENGTH = 8192;

/** A refused token: `expired` tells the client to log in again; `diagnostic` is for the log and the audit trail only. */
export class TokenRejectedError extends Error {
  constructor(
    readonly expired: boolean,
    readonly diagnostic: string,
  ) {
    super(`bearer token rejected: ${diagnostic}`);
    this.name = 'TokenRejectedError';
  }
}

/**
 * Verifies access tokens: ES256 only (no `none`, no HMAC with a public key as secret), the key chosen by `kid`
 * among the configured verification keys, `typ`, `iss` and `aud` pinned, every claim present, a lifetime no longer
 * than configured, and `exp`/`nbf`/`iat` checked with the configured clock skew.
 */
@Injectable()
export class BearerTokenVerifier {
  constructor(@Inject(AuthSettings) private readonly settings: AuthSettings) {}

  async verify(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) throw new TokenRejectedError(false, `token longer than ${MAX_TOKEN_LENGTH} characters`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header: JWSHeaderParameters) => this.keyFor(header), {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockSkewSeconds,
        requiredClaims: [...REQUIRED_CLAIMS],
      }));
    } catch (error) {
      throw new TokenRejectedError(error instanceof errors.JWTExpired, (error as Error).message);
    }
    return this.principalFrom(payload);
  }

  private keyFor(header: JWSHeaderParameters): KeyObject {
    if (typeof header.kid !== 'string') throw new Error('token header has no "kid"');
    const key = this.settings.verificationKeys.key(header.kid);
    if (!key) throw new Error(`token signed with unknown key "${header.kid}"`);
    return key;
  }

  private principalFrom(payload: JWTPayload): Principal {
    const { sub, jti, iat, exp } = payload as Required<JWTPayload>;
    const roles = payload.roles;
    if (typeof sub !== 'string' || sub === '') throw new TokenRejectedError(false, '"sub" must be a non-empty string');
    if (typeof jti !== 'string' || jti === '') throw new TokenRejectedError(false, '"jti" must be a non-empty string');
    if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
      throw new TokenRejectedError(false, '"roles" must be an array of strings');
    }
    const now = Math.floor(Date.now() / 1000);
    if (iat > now + this.settings.clockSkewSeconds) throw new TokenRejectedError(false, '"iat" is in the future');
    if (exp - iat > this.settings.tokenTtlSeconds) {
      throw new TokenRejectedError(false, `lifetime ${exp - iat} s exceeds the allowed ${this.settings.tokenTtlSeconds} s`);
    }
    return { subject: sub, roles: Object.freeze([...roles]), authenticatedBy: 'bearer-token', tokenId: jti, expiresAt: new Date(exp * 1000) };
  }
}
