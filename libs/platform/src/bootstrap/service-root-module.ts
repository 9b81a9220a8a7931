import type { DynamicModule } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config';

/**
 * An app's root module: a class with `static forRoot(config): DynamicModule` that imports
 * `PlatformModule.forRoot(config)` and the service's feature modules.
 */
export interface ServiceRootModule {
  forRoot(config: ServiceConfig): DynamicModule;
}
