import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OptionalFactoryDependency, type Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuthSettings, type AuthModuleOptions } from './auth-options';
import { BootstrapCredentialService } from './bootstrap/bootstrap-credential.service';
import { BootstrapController } from './bootstrap/bootstrap.controller';
import { AccessGuard } from './guard/access.guard';
import { HandlerDeclarationCheck } from './guard/handler-declaration-check';
import { RequestAuthenticator } from './guard/request-authenticator';
import { BearerTokenVerifier } from './tokens/bearer-token-verifier';
import { JwksController } from './tokens/jwks.controller';
import { TokenService } from './tokens/token.service';

export interface AuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: any[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
  /**
   * Mount `POST /v1/auth/bootstrap` (the service that issues tokens); the factory must then give a tokenSigner
   * and a dataSource. Default false.
   */
  bootstrapEndpoint?: boolean;
}

const SERVICES: Provider[] = [TokenService, BearerTokenVerifier, RequestAuthenticator, BootstrapCredentialService, HandlerDeclarationCheck];

/**
 * Authentication and access control for a service: the global deny-by-default guard, bearer tokens, mutual TLS,
 * the JWKS endpoint, and (on the issuing service) the bootstrap credential exchange.
 */
@Module({})
export class AuthModule {
  /** `bootstrapEndpoint` defaults to true when the options give both a tokenSigner and a dataSource. */
  static forRoot(options: AuthModuleOptions & { bootstrapEndpoint?: boolean }): DynamicModule {
    const bootstrapEndpoint = options.bootstrapEndpoint ?? (options.tokenSigner !== undefined && options.dataSource !== undefined);
    return AuthModule.build({ provide: AuthSettings, useValue: settingsFrom(options, bootstrapEndpoint) }, bootstrapEndpoint, []);
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const bootstrapEndpoint = options.bootstrapEndpoint ?? false;
    const settings: Provider = {
      provide: AuthSettings,
      inject: options.inject ?? [],
      useFactory: async (...args: unknown[]) => settingsFrom(await options.useFactory(...args), bootstrapEndpoint),
    };
    return AuthModule.build(settings, bootstrapEndpoint, options.imports ?? []);
  }

  private static build(settings: Provider, bootstrapEndpoint: boolean, imports: NonNullable<ModuleMetadata['imports']>): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [DiscoveryModule, ...imports],
      controllers: bootstrapEndpoint ? [JwksController, BootstrapController] : [JwksController],
      providers: [settings, ...SERVICES, AccessGuard, { provide: APP_GUARD, useExisting: AccessGuard }],
      exports: [AuthSettings, TokenService, BearerTokenVerifier, BootstrapCredentialService],
    };
  }
}

function settingsFrom(options: AuthModuleOptions, bootstrapEndpoint: boolean): AuthSettings {
  if (bootstrapEndpoint && (!options.tokenSigner || !options.dataSource)) {
    throw new Error('auth: the bootstrap endpoint needs a tokenSigner and a dataSource');
  }
  return new AuthSettings(options);
}
