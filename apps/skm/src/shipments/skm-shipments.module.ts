import { Module } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import type { KeyManager } from '@smpki/hsm';
import { AUDIT_TRAIL, DATA_SOURCE, KEY_MANAGER, SERVICE_CONFIG, type ServiceConfig } from '@smpki/platform';
import { MeterKeyService, ShipmentExportService, ShipmentImportService, SkmEncryptionIdentity, TenantMasters, TransportKeyService, WrappedKeyImportService } from '@smpki/skm';
import type { DataSource } from 'typeorm';
import { SkmKeysModule } from '../keys/skm-keys.module';
import { ShipmentsController } from './shipments.controller';

/** CMS key shipments on top of the key hierarchy (docs/SKM.md, "Key shipments"). */
@Module({
  imports: [SkmKeysModule],
  controllers: [ShipmentsController],
  providers: [
    {
      provide: SkmEncryptionIdentity,
      inject: [KEY_MANAGER, SERVICE_CONFIG],
      useFactory: (keys: KeyManager, config: ServiceConfig) => new SkmEncryptionIdentity(keys, config.hsm!.tokenLabel),
    },
    {
      provide: ShipmentImportService,
      inject: [DATA_SOURCE, KEY_MANAGER, TenantMasters, MeterKeyService, SkmEncryptionIdentity],
      useFactory: (dataSource: DataSource, keys: KeyManager, masters: TenantMasters, meterKeys: MeterKeyService, identity: SkmEncryptionIdentity) =>
        new ShipmentImportService(dataSource, keys, masters, meterKeys, identity),
    },
    {
      provide: ShipmentExportService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, TenantMasters],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, masters: TenantMasters) => new ShipmentExportService(dataSource, keys, audit, masters),
    },
    {
      provide: WrappedKeyImportService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, TenantMasters, MeterKeyService, TransportKeyService],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, masters: TenantMasters, meterKeys: MeterKeyService, transportKeys: TransportKeyService) =>
        new WrappedKeyImportService(dataSource, keys, audit, masters, meterKeys, transportKeys),
    },
  ],
})
export class SkmShipmentsModule {}
