import { Module, type DynamicModule } from '@nestjs/common';
import { loadCaConfig } from '@smpki/ca';
import { PlatformModule, type ServiceConfig } from '@smpki/platform';
import { RuntimeModule } from '@smpki/runtime';
import { CaModule } from './ca/ca.module';

/**
 * Options of the sub-CA application (main.ts and the tests use the same): batch issuance carries up to
 * MAX_BATCH_ITEMS requests of a few hundred bytes of base64 each.
 */
export const SUB_CA_APP_OPTIONS = { jsonBodyLimit: '8mb' } as const;

/** Root module of the smpki-sub-ca service: the platform, and the CA instances listed in SMPKI_CA_CONFIG. */
@Module({})
export class SubCaModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    // Read here, at module creation: a bad file stops the start with one line naming SMPKI_CA_CONFIG.
    const cas = loadCaConfig(process.env);
    return {
      module: SubCaModule,
      imports: [PlatformModule.forRoot(config), RuntimeModule.forRoot(config, { issuesTokens: true }), CaModule.forRoot(cas)],
    };
  }
}
