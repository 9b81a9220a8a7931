/**
 * The access token: an RFC 9068-style JWT (`typ: at+jwt`, so an ID token or any other JWT signed by the same key
 * is never taken for one), ES256, with the roles of the subject.
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  roles: string[];
}

export const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'iat', 'nbf', 'exp', 'jti', 'roles'] as const;
