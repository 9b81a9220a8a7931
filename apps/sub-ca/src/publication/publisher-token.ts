/**
 * The bearer token the sub-CA shows the directory: issued by the service itself with role `publisher`, renewed
 * a minute before it expires.
 */
import type { TokenService } from '@smpki/auth';

export const PUBLISHER_SUBJECT = 'sub-ca-publisher';
const RENEW_BEFORE_MS = 60_000;

export function publisherTokenSource(tokens: TokenService, now: () => number = Date.now): () => Promise<string> {
  let current: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (!current || current.expiresAt - RENEW_BEFORE_MS <= now()) {
      const issued = await tokens.issue({ subject: PUBLISHER_SUBJECT, roles: ['publisher'] });
      current = { token: issued.accessToken, expiresAt: issued.expiresAt.getTime() };
    }
    return current.token;
  };
}
