import 'reflect-metadata';
import { runService } from '@smpki/platform';
import { DIRECTORY_APP_OPTIONS, DirectoryModule } from './directory.module';

void runService({
  service: 'directory',
  requires: ['hsm', 'auth'],
  rootModule: DirectoryModule,
  ...DIRECTORY_APP_OPTIONS,
  description: 'Directory: publishes certificates and CRLs (HTTP and LDAP).',
});
