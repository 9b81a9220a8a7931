import { Module, type DynamicModule } from '@nestjs/common';
import { AuditTrail } from '@smpki/audit';
import type { KeyManager } from '@smpki/hsm';
import { openDatabase } from '@smpki/persistence';
import { AUDIT_TRAIL, DATA_SOURCE, JsonLogger, KEY_MANAGER, SERVICE_CONFIG, type ServiceConfig } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import { AuditedKeyManager } from './audited-key-manager';
import { openKeyManager } from './key-manager.provider';
import { RAW_KEY_MANAGER } from './tokens';

/**
 * The shared resources of a service: the HSM (opened and probed once), the database (migrated at start), the audit
 * trail sealed by the HSM checkpoint key, and the key manager that records key changes in that trail.
 */
@Module({})
export class ResourcesModule {
  static forRoot(): DynamicModule {
    return {
      module: ResourcesModule,
      providers: [
        {
          provide: RAW_KEY_MANAGER,
          inject: [SERVICE_CONFIG, JsonLogger],
          useFactory: (config: ServiceConfig, logger: JsonLogger) => openKeyManager(config, logger),
        },
        {
          provide: DATA_SOURCE,
          inject: [SERVICE_CONFIG, JsonLogger],
          useFactory: (config: ServiceConfig, logger: JsonLogger) => openDatabase(config.database, { logger: logger.child('Database') }),
        },
        {
          provide: AUDIT_TRAIL,
          inject: [SERVICE_CONFIG, JsonLogger, DATA_SOURCE, RAW_KEY_MANAGER],
          useFactory: async (config: ServiceConfig, logger: JsonLogger, dataSource: DataSource, keys: KeyManager) => {
            const log = logger.child('Audit');
            const uri = config.audit.checkpointKeyUri;
            if (!uri) log.warn('no SMPKI_AUDIT_CHECKPOINT_KEY: the audit chain is hashed but its checkpoints are not signed');
            return new AuditTrail(dataSource, {
              service: config.service,
              checkpointEvery: config.audit.checkpointEvery,
              ...(uri ? { checkpointSigner: await keys.createSigner(uri) } : {}),
              onCheckpointError: (error: unknown) => log.error('audit checkpoint could not be signed; retried with the next event', { err: error }),
            });
          },
        },
        {
          provide: KEY_MANAGER,
          inject: [RAW_KEY_MANAGER, AUDIT_TRAIL],
          useFactory: (keys: KeyManager, audit: AuditTrail) => new AuditedKeyManager(keys, audit),
        },
      ],
      exports: [RAW_KEY_MANAGER, DATA_SOURCE, AUDIT_TRAIL, KEY_MANAGER],
    };
  }
}
