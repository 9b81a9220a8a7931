import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { SubCaModule } from './sub-ca.module';

void runService({
  service: 'sub-ca',
  requires: ['hsm', 'auth'],
  rootModule: SubCaModule,
  description: 'Sub-CA: issues, renews and revokes smart-meter and gateway certificates (brainpool, keys in the HSM).',
});
