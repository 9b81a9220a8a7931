import { Module } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import { RootCa } from '@smpki/ca';
import type { KeyManager } from '@smpki/hsm';
import { AUDIT_TRAIL, DATA_SOURCE, KEY_MANAGER } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import { RootCaController } from './root-ca.controller';

/** The root CA's operations (@smpki/ca RootCa) on the service's HSM, database and audit trail. */
@Module({
  controllers: [RootCaController],
  providers: [
    {
      provide: RootCa,
      inject: [KEY_MANAGER, DATA_SOURCE, AUDIT_TRAIL],
      useFactory: (keys: KeyManager, dataSource: DataSource, audit: AuditTrail) => new RootCa(keys, dataSource, audit),
    },
  ],
})
export class RootCaApiModule {}
