import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@smpki/platform';
import { RuntimeModule } from '@smpki/runtime';

/** Root module of the smpki-skm service. Its feature modules are added here as they are written. */
@Module({})
export class SkmModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return { module: SkmModule, imports: [PlatformModule.forRoot(config), RuntimeModule.forRoot(config)] };
  }
}
