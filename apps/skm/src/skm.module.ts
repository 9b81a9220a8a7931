import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@smpki/platform';
import { RuntimeModule } from '@smpki/runtime';
import { SkmCryptoModule } from './crypto/skm-crypto.module';
import { SkmKeysModule } from './keys/skm-keys.module';
import { SkmShipmentsModule } from './shipments/skm-shipments.module';

/** Root module of the smpki-skm service: the platform and the key hierarchy (docs/SKM.md). Further feature modules are added here. */
@Module({})
export class SkmModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return { module: SkmModule, imports: [PlatformModule.forRoot(config), RuntimeModule.forRoot(config), SkmKeysModule, SkmCryptoModule, SkmShipmentsModule] };
  }
}
