import { COMMAND_CATALOGUE, type AccessRules, type CommandCatalogue } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import type { Signer } from '@smpki/hsm';
import type { AuthEventSink } from './events/auth-event-sink';
import type { ClientCertificateRoleResolver } from './mtls/client-certificate-role-resolver';
import { p256PublicJwk } from './tokens/p256-jwk';
import { VerificationKeySet } from './tokens/verification-key-set';

/** Tokens are bearer credentials: never accepted or issued for longer than an hour. */
export const MAX_TOKEN_TTL_SECONDS = 3600;
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
const MAX_CLOCK_SKEW_SECONDS = 300;

export interface AuthModuleOptions {
  /** Token `iss`, pinned on verification (e.g. `https://pki.example.org`). */
  issuer: string;
  /** Token `aud`, pinned on verification (e.g. `smpki`). */
  audience: string;
  /** Lifetime of issued tokens and the longest lifetime (exp - iat) a verifier accepts; at most 3600. */
  tokenTtlSeconds: number;
  /** Tolerance for `exp`, `nbf` and `iat` against this host's clock; default 30, at most 300. */
  clockSkewSeconds?: number;
  /** The HSM key that signs tokens (P-256). Only the service that issues tokens has one. */
  tokenSigner?: Signer;
  /** SPKI DER of every P-256 key tokens are accepted from (the signer's own key is added). */
  verificationKeys: Buffer[];
  accessRules: AccessRules;
  /** Commands handlers may declare; defaults to the platform's catalogue. */
  commandCatalogue?: CommandCatalogue;
  /** Roles of mutual-TLS clients; without it, client certificates authenticate nobody. */
  clientCertificateRoles?: ClientCertificateRoleResolver;
  /** Receives every refusal and login (the application records them in the audit trail). */
  eventSink: AuthEventSink;
  /** The database of the bootstrap credential; needed with `bootstrapEndpoint`. */
  dataSource?: DataSource;
}

/** The validated, resolved form of {@link AuthModuleOptions} that the module's providers use. */
export class AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly tokenTtlSeconds: number;
  readonly clockSkewSeconds: number;
  readonly tokenSigner?: Signer;
  /** `kid` of the signer's key. */
  readonly signingKeyId?: string;
  readonly verificationKeys: VerificationKeySet;
  readonly accessRules: AccessRules;
  readonly commandCatalogue: CommandCatalogue;
  readonly clientCertificateRoles?: ClientCertificateRoleResolver;
  readonly eventSink: AuthEventSink;
  readonly dataSource?: DataSource;

  constructor(options: AuthModuleOptions) {
    this.issuer = nonEmpty(options.issuer, 'issuer');
    this.audience = nonEmpty(options.audience, 'audience');
    this.tokenTtlSeconds = integerIn(options.tokenTtlSeconds, 'tokenTtlSeconds', 1, MAX_TOKEN_TTL_SECONDS);
    this.clockSkewSeconds = integerIn(options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS, 'clockSkewSeconds', 0, MAX_CLOCK_SKEW_SECONDS);
    const spkis = [...options.verificationKeys];
    if (options.tokenSigner) {
      if (options.tokenSigner.curve !== 'P-256') {
        throw new Error(`auth: the token signer ${options.tokenSigner.keyUri} is on ${options.tokenSigner.curve}; ES256 tokens need a P-256 key`);
      }
      this.tokenSigner = options.tokenSigner;
      this.signingKeyId = p256PublicJwk(options.tokenSigner.publicKey.spki).jwk.kid;
      spkis.push(options.tokenSigner.publicKey.spki);
    }
    this.verificationKeys = new VerificationKeySet(spkis);
    if (this.verificationKeys.size === 0) throw new Error('auth: no token verification key configured (verificationKeys is empty and there is no tokenSigner)');
    this.accessRules = options.accessRules;
    this.commandCatalogue = options.commandCatalogue ?? COMMAND_CATALOGUE;
    this.clientCertificateRoles = options.clientCertificateRoles;
    if (!options.eventSink) throw new Error('auth: eventSink is required (every refusal and login is recorded)');
    this.eventSink = options.eventSink;
    this.dataSource = options.dataSource;
  }
}

function nonEmpty(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`auth: ${name} must be a non-empty string`);
  return value;
}

function integerIn(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`auth: ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}
