import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { SUB_CA_APP_OPTIONS, SubCaModule } from './sub-ca.module';

void runService({
  service: 'sub-ca',
  requires: ['hsm', 'auth'],
  rootModule: SubCaModule,
  ...SUB_CA_APP_OPTIONS,
  description: 'Sub-CA: issues, renews and revokes smart-meter and gateway certificates (brainpool, keys in the HSM).',
});
