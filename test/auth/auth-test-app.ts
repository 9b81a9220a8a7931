/**
 * The application the auth end-to-end tests run: AuthModule as a service wires it, the platform's problem+json
 * filter, and a probe controller with a public route, two command routes and a route that declares nothing.
 */
import { Controller, Get, type INestApplication } from '@nestjs/common';
import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface.js';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  AuthModule,
  Command,
  CurrentPrincipal,
  Public,
  type AuthEvent,
  type AuthEventContext,
  type AuthEventSink,
  type AuthModuleOptions,
  type ClientCertificateRoleResolver,
  type Principal,
} from '@smpki/auth';
import type { Signer } from '@smpki/hsm';
import { JsonLogger, ProblemDetailsFilter } from '@smpki/platform';
import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { SoftwareP256Signer } from '../support/software-p256-signer';

export const ISSUER = 'https://pki.test.smpki';
export const AUDIENCE = 'smpki-test';

/**
 * The token signers of these tests: P-256 keys in software. To run every auth test against the HSM, return a
 * signer of a fresh SoftHSM key here (createTestToken() + the key manager's createEcKeyPair/createSigner).
 */
export async function createTokenSigner(name: string): Promise<Signer> {
  return SoftwareP256Signer.generate(`pkcs11:token=software;object=${name}`);
}

@Controller('probe')
export class ProbeController {
  @Public()
  @Get('public')
  open(@CurrentPrincipal() principal: Principal | undefined): { open: true; principal: boolean } {
    return { open: true, principal: principal !== undefined };
  }

  @Command('ca.certificate.issue')
  @Get('issue')
  issue(@CurrentPrincipal() principal: Principal): { subject: string; roles: readonly string[]; via: string } {
    return { subject: principal.subject, roles: principal.roles, via: principal.authenticatedBy };
  }

  @Command('auth.token.issue')
  @Get('admin')
  admin(@CurrentPrincipal() principal: Principal): { subject: string } {
    return { subject: principal.subject };
  }

  /** Declares neither @Command nor @Public: must be refused whoever calls. */
  @Get('undeclared')
  undeclared(): { leaked: true } {
    return { leaked: true };
  }
}

export class RecordingEventSink implements AuthEventSink {
  readonly events: Array<AuthEvent & { inTransaction: boolean }> = [];
  failWith?: Error;

  async record(event: AuthEvent, context?: AuthEventContext): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.events.push({ ...event, inTransaction: context?.entityManager !== undefined });
  }

  ofAction(action: string): AuthEvent[] {
    return this.events.filter((event) => event.action === action);
  }
}

export interface AuthTestAppOptions {
  signer?: Signer;
  verificationKeys?: Buffer[];
  tokenTtlSeconds?: number;
  clientCertificateRoles?: ClientCertificateRoleResolver;
  dataSource?: DataSource;
  httpsOptions?: HttpsOptions;
}

export interface AuthTestApp {
  app: INestApplication;
  sink: RecordingEventSink;
  /** Every JSON log line the application wrote. */
  logLines: Array<Record<string, unknown>>;
}

export function authOptions(options: AuthTestAppOptions, sink: AuthEventSink): AuthModuleOptions {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
    tokenSigner: options.signer,
    verificationKeys: options.verificationKeys ?? [],
    accessRules: DEFAULT_ACCESS_RULES,
    clientCertificateRoles: options.clientCertificateRoles,
    eventSink: sink,
    dataSource: options.dataSource,
  };
}

export async function createAuthTestApp(options: AuthTestAppOptions): Promise<AuthTestApp> {
  const sink = new RecordingEventSink();
  const logLines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger({ service: 'smpki-auth-test', level: 'debug', sink: (line) => void logLines.push(JSON.parse(line)) });
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRoot(authOptions(options, sink))],
    controllers: [ProbeController],
    providers: [
      { provide: JsonLogger, useValue: logger },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger, httpsOptions: options.httpsOptions });
  await app.init();
  return { app, sink, logLines };
}
