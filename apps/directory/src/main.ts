import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { DirectoryModule } from './directory.module';

void runService({
  service: 'directory',
  requires: ['hsm', 'auth'],
  rootModule: DirectoryModule,
  description: 'Directory: publishes certificates and CRLs (HTTP and LDAP).',
});
