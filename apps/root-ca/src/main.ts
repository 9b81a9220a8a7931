import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { RootCaModule } from './root-ca.module';

void runService({
  service: 'root-ca',
  requires: ['hsm', 'auth'],
  rootModule: RootCaModule,
  description: 'Root certification authority: signs and revokes sub-CA certificates; offline-style, keys in the HSM.',
});
