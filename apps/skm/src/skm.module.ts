import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@smpki/platform';
import { RuntimeModule } from '@smpki/runtime';
import { SkmCryptoModule } from './crypto/skm-crypto.module';
import { SkmKeysModule } from './keys/skm-keys.module';
import { SkmShipmentsModule } from './shipments/skm-shipments.module';

/**
 * Options of the SKM application (main.ts and the tests use the same): a key shipment travels as base64 in JSON (a
 * production batch of 20,000 keys is some 1.3 MB), and a bulk import carries up to 5,000 wrapped keys.
 */
export const SKM_APP_OPTIONS = { jsonBodyLimit: '16mb' } as const;

/** Root module of the smpki-skm service: the platform, the key hierarchy, shipments and the crypto service (docs/SKM.md). */
@Module({})
export class SkmModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return { module: SkmModule, imports: [PlatformModule.forRoot(config), RuntimeModule.forRoot(config), SkmKeysModule, SkmCryptoModule, SkmShipmentsModule] };
  }
}
