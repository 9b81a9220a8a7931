import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { SkmModule } from './skm.module';

void runService({
  service: 'skm',
  requires: ['hsm', 'auth'],
  rootModule: SkmModule,
  description: 'Symmetric key management: meter keys generated and wrapped in the HSM, delivered wrapped.',
});
