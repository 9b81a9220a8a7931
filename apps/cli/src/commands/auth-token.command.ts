import { AuthSettings, MAX_TOKEN_TTL_SECONDS, TokenService } from '@smpki/auth';
import { DEFAULT_ACCESS_RULES, isRole, ROLES, type Role } from '@smpki/policy';
import type { CliContext } from '../cli-context';

export interface AuthTokenOptions {
  role: string[];
  subject: string;
  /** Seconds; default the configured token lifetime, at most one hour. */
  ttl?: string;
}

/**
 * Issues an access token for a role no login flow hands out yet (ca-operator, auditor, ...), signed with the
 * platform token key in the HSM. Whoever runs the CLI with access to the token's PIN can sign anything with that
 * key anyway: the operator's host is the trust boundary, and every token issued is recorded as `auth.token.issue`.
 * Prints only the token, so `TOKEN=$(smpki auth token ...)` works.
 */
export async function issueAccessToken(context: CliContext, options: AuthTokenOptions, out: (line: string) => void): Promise<void> {
  const unknown = options.role.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new Error(`--role ${unknown.join(', ')} is not a role (known roles: ${ROLES.join(', ')})`);
  if (!/^[\x21-\x7e]{1,128}$/.test(options.subject)) throw new Error('--subject must be 1-128 printable ASCII characters without spaces');
  const configuredTtl = context.config.auth?.tokenTtlSeconds ?? 900;
  const ttl = options.ttl === undefined ? configuredTtl : Number(options.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new Error(`--ttl must be a whole number of seconds from 1 to ${MAX_TOKEN_TTL_SECONDS} (got "${options.ttl}")`);
  }
  const tokenKeyUri = context.config.auth?.tokenKeyUri;
  if (!tokenKeyUri) throw new Error('no token signing key configured (SMPKI_AUTH_TOKEN_KEY)');

  const audit = await context.audit();
  const settings = new AuthSettings({
    issuer: context.config.auth?.issuer ?? 'smpki',
    audience: context.config.auth?.audience ?? 'smpki',
    // The lifetime asked for may exceed the service default, never the hard maximum checked above.
    tokenTtlSeconds: Math.max(ttl, configuredTtl),
    tokenSigner: await (await context.keys()).createSigner(tokenKeyUri),
    verificationKeys: [],
    accessRules: DEFAULT_ACCESS_RULES,
    eventSink: { record: async () => undefined },
  });
  const roles = options.role as Role[];
  const issued = await new TokenService(settings).issue({ subject: options.subject, roles }, ttl);
  await audit.append({
    action: 'auth.token.issue',
    outcome: 'success',
    actor: 'smpki-cli',
    target: options.subject,
    details: { roles, tokenId: issued.tokenId, expiresAt: issued.expiresAt.toISOString() },
  });
  out(issued.accessToken);
}
