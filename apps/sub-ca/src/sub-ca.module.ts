import { Module, type DynamicModule } from '@nestjs/common';
import { loadCaConfig } from '@smpki/ca';
import { PlatformModule, type ServiceConfig } from '@smpki/platform';
import { ManufacturerRoleResolver } from '@smpki/registry';
import { RuntimeModule } from '@smpki/runtime';
import type { DataSource } from 'typeorm';
import { CaModule } from './ca/ca.module';
import { ManufacturingModule } from './manufacturing/manufacturing.module';

/**
 * Options of the sub-CA application (main.ts and the tests use the same): batch issuance carries up to
 * MAX_BATCH_ITEMS requests of a few hundred bytes of base64 each; a streamed registration (POST /v1/meters/stream)
 * is one request body for the whole production batch, so it may take up to an hour instead of Node's 300 s.
 */
export const SUB_CA_APP_OPTIONS = { jsonBodyLimit: '8mb', requestTimeoutMs: 3_600_000 } as const;

/**
 * Root module of the smpki-sub-ca service: the platform, the CA instances listed in SMPKI_CA_CONFIG, and the
 * meter registry on top of them. Manufacturers authenticate over mutual TLS with credentials kept in the database.
 */
@Module({})
export class SubCaModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    // Read here, at module creation: a bad file stops the start with one line naming SMPKI_CA_CONFIG.
    const cas = loadCaConfig(process.env);
    // One CA module (one registry, one issuer and its group commit) shared with the registry.
    const caModule = CaModule.forRoot(cas);
    return {
      module: SubCaModule,
      imports: [
        PlatformModule.forRoot(config),
        RuntimeModule.forRoot(config, { issuesTokens: true, clientCertificateRoles: (dataSource: DataSource) => new ManufacturerRoleResolver(dataSource) }),
        caModule,
        ManufacturingModule.forRoot(caModule),
      ],
    };
  }
}
