import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@smpki/platform';
import { RuntimeModule } from '@smpki/runtime';
import { RootCaApiModule } from './root/root-ca-api.module';

/** Root module of the smpki-root-ca service: the platform and the root CA's API (ceremonies, sub-CA certification). */
@Module({})
export class RootCaModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return { module: RootCaModule, imports: [PlatformModule.forRoot(config), RuntimeModule.forRoot(config), RootCaApiModule] };
  }
}
