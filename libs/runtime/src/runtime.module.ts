import { readFileSync } from 'node:fs';
import { Module, type DynamicModule } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import { AuthModule, ClientCertificateRoleTable, spkiFromPem, type AuthModuleOptions, type ClientCertificateRoleResolver, type VerifiedClientCertificate } from '@smpki/auth';
import type { KeyManager } from '@smpki/hsm';
import {
  AUDIT_TRAIL,
  DATA_SOURCE,
  databaseReadinessCheck,
  KEY_MANAGER,
  keyManagerReadinessCheck,
  REFUSAL_RECORDER,
  SERVICE_CONFIG,
  type ServiceConfig,
} from '@smpki/platform';
import { DEFAULT_ACCESS_RULES, loadAccessRulesFile } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { AuditRefusalRecorder } from './audit-refusal-recorder';
import { AuditController } from './audit.controller';
import { AuditSealOnShutdown } from './audit-seal-on-shutdown';
import { ConfigurationAudit } from './configuration-audit';
import { ConfigurationController } from './configuration.controller';
import { ResourcesModule } from './resources.module';

export interface RuntimeOptions {
  /**
   * This service issues access tokens with the HSM key SMPKI_AUTH_TOKEN_KEY and mounts the bootstrap exchange;
   * the other services only verify tokens with that key's public half.
   */
  issuesTokens?: boolean;
  /**
   * Client-certificate roles the service keeps in its database (the sub-CA's manufacturer credentials), granted
   * beside those of the SMPKI_CLIENT_CERTIFICATE_ROLES file: a certificate gets the union.
   */
  clientCertificateRoles?: (dataSource: DataSource) => ClientCertificateRoleResolver;
}

/** Every role any of the resolvers grants the certificate. */
function unionOfRoles(resolvers: readonly ClientCertificateRoleResolver[]): ClientCertificateRoleResolver | undefined {
  if (resolvers.length <= 1) return resolvers[0];
  return {
    resolveRoles: async (certificate: VerifiedClientCertificate) => [...new Set((await Promise.all(resolvers.map((resolver) => resolver.resolveRoles(certificate)))).flat())],
  };
}

async function authOptions(config: ServiceConfig, options: RuntimeOptions, keys: KeyManager, dataSource: DataSource, audit: AuditTrail): Promise<AuthModuleOptions> {
  const auth = config.auth;
  const clientCertificateRoles = unionOfRoles([
    ...(config.access.clientCertificateRolesFile ? [ClientCertificateRoleTable.loadFile(config.access.clientCertificateRolesFile)] : []),
    ...(options.clientCertificateRoles ? [options.clientCertificateRoles(dataSource)] : []),
  ]);
  const verificationKeys = (auth?.verificationKeyFiles ?? []).map((file) => spkiFromPem(readFileSync(file, 'utf8')));
  let tokenSigner;
  if (auth && options.issuesTokens) tokenSigner = await keys.createSigner(auth.tokenKeyUri);
  else if (auth) verificationKeys.push((await keys.getPublicKey(auth.tokenKeyUri)).spki);
  return {
    issuer: auth?.issuer ?? 'smpki',
    audience: auth?.audience ?? 'smpki',
    tokenTtlSeconds: auth?.tokenTtlSeconds ?? 900,
    verificationKeys,
    ...(tokenSigner ? { tokenSigner } : {}),
    accessRules: config.access.rulesFile ? loadAccessRulesFile(config.access.rulesFile) : DEFAULT_ACCESS_RULES,
    ...(clientCertificateRoles ? { clientCertificateRoles } : {}),
    eventSink: { record: async (event, context) => void (await audit.append(event, context?.entityManager)) },
    dataSource,
  };
}

/**
 * What every smpki service runs on, composed once: HSM key manager, database, audit trail (with key changes,
 * refused requests, configuration changes, starts and stops recorded), readiness checks for database and HSM,
 * and the deny-by-default authentication. Each app's root module imports `RuntimeModule.forRoot(config)` after
 * `PlatformModule.forRoot(config)`.
 */
@Module({})
export class RuntimeModule {
  static forRoot(config: ServiceConfig, options: RuntimeOptions = {}): DynamicModule {
    const resources = ResourcesModule.forRoot();
    return {
      module: RuntimeModule,
      global: true,
      imports: [
        resources,
        AuthModule.forRootAsync({
          imports: [resources],
          inject: [SERVICE_CONFIG, KEY_MANAGER, DATA_SOURCE, AUDIT_TRAIL],
          bootstrapEndpoint: options.issuesTokens === true && config.auth !== undefined,
          useFactory: (serviceConfig: ServiceConfig, keys: KeyManager, dataSource: DataSource, audit: AuditTrail) =>
            authOptions(serviceConfig, options, keys, dataSource, audit),
        }),
      ],
      controllers: [AuditController, ConfigurationController],
      providers: [
        databaseReadinessCheck(),
        keyManagerReadinessCheck(),
        { provide: REFUSAL_RECORDER, useClass: AuditRefusalRecorder },
        ConfigurationAudit,
        AuditSealOnShutdown,
      ],
      exports: [resources],
    };
  }
}
