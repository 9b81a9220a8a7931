import { AuthSettings, BootstrapCredentialService, TokenService } from '@smpki/auth';
import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import type { CliContext } from '../cli-context';

export interface BootstrapOptions {
  /** Print only the secret (or nothing): for scripts such as the embedded start. */
  quiet?: boolean;
  /** Replace an unused credential whose secret was lost. */
  renew?: boolean;
}

/**
 * Creates the one-time bootstrap credential of the first administrator in the token-issuing service's database
 * and prints its secret, once. Nothing is created once an administrator has logged in.
 */
export async function bootstrapCredential(context: CliContext, options: BootstrapOptions, out: (line: string) => void): Promise<void> {
  const audit = await context.audit();
  const tokenKeyUri = context.config.auth?.tokenKeyUri;
  if (!tokenKeyUri) throw new Error('no token signing key configured (SMPKI_AUTH_TOKEN_KEY): the credential could not be exchanged');
  const settings = new AuthSettings({
    issuer: context.config.auth?.issuer ?? 'smpki',
    audience: context.config.auth?.audience ?? 'smpki',
    tokenTtlSeconds: context.config.auth?.tokenTtlSeconds ?? 900,
    // Only the database part of the service is used here; the key makes the settings complete and valid.
    verificationKeys: [(await (await context.keys()).getPublicKey(tokenKeyUri)).spki],
    accessRules: DEFAULT_ACCESS_RULES,
    eventSink: { record: async (event, ctx) => void (await audit.append(event, ctx?.entityManager)) },
    dataSource: await context.database(),
  });
  const service = new BootstrapCredentialService(settings, new TokenService(settings));
  const status = options.renew ? await service.renewBootstrapCredential() : await service.ensureBootstrapCredential();
  if (status.state === 'created') {
    await audit.append({ action: 'auth.bootstrap.create', outcome: 'success', actor: 'smpki-cli', target: status.credentialId });
    out(options.quiet ? status.secret : `bootstrap credential (shown once): ${status.secret}`);
  } else if (!options.quiet) {
    out(status.state === 'pending'
      ? `an unused bootstrap credential exists since ${status.createdAt.toISOString()}; lost it? run with --renew`
      : 'an administrator has already logged in: no bootstrap credential is needed');
  }
}
