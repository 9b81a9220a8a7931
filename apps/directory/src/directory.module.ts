import { Module, type DynamicModule } from '@nestjs/common';
import { DirectoryStore } from '@smpki/directory';
import { DATA_SOURCE, PlatformModule, type ServiceConfig } from '@smpki/platform';
import { RuntimeModule } from '@smpki/runtime';
import type { DataSource } from 'typeorm';
import { DistributionController } from './distribution/distribution.controller';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { DIRECTORY_SETTINGS } from './ldap/directory-settings.token';
import { LdapLifecycleService } from './ldap/ldap-lifecycle.service';
import { loadDirectorySettings, type DirectorySettings } from './ldap/ldap-settings';

/**
 * Options of the directory application (main.ts and the tests use the same): an ingest batch carries up to
 * MAX_INGEST_ENTRIES certificates, or a CRL, as base64 — a CRL of a million entries is some 33 MB of it.
 */
export const DIRECTORY_APP_OPTIONS = { jsonBodyLimit: '64mb' } as const;

/**
 * Root module of the smpki-directory service: the ingest API the CA publishers push to, the HTTP distribution of
 * CRLs and CA certificates, and the read-only LDAP server (docs/DIRECTORY.md).
 */
@Module({})
export class DirectoryModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    // Read here, at module creation: a bad value stops the start with one line naming the variable.
    const settings = loadDirectorySettings(process.env);
    return {
      module: DirectoryModule,
      imports: [PlatformModule.forRoot(config), RuntimeModule.forRoot(config)],
      controllers: [IngestController, DistributionController],
      providers: [
        { provide: DIRECTORY_SETTINGS, useValue: settings },
        {
          provide: DirectoryStore,
          inject: [DATA_SOURCE, DIRECTORY_SETTINGS],
          useFactory: (dataSource: DataSource, directory: DirectorySettings) => new DirectoryStore(dataSource, directory.revoked),
        },
        IngestService,
        LdapLifecycleService,
      ],
    };
  }
}
