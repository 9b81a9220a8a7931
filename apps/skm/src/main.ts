import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { SKM_APP_OPTIONS, SkmModule } from './skm.module';

void runService({
  service: 'skm',
  requires: ['hsm', 'auth'],
  rootModule: SkmModule,
  ...SKM_APP_OPTIONS,
  description: 'Symmetric key management: meter keys generated and wrapped in the HSM, delivered wrapped.',
});
