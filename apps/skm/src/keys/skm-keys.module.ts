import { Module } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import type { KeyManager } from '@smpki/hsm';
import { AUDIT_TRAIL, DATA_SOURCE, KEY_MANAGER, SERVICE_CONFIG, type ServiceConfig } from '@smpki/platform';
import { MasterKeyRotationService, MeterKeyService, ProviderChangeService, TenantMasters, TenantService, TransportKeyService, type SkmKeyNames } from '@smpki/skm';
import type { DataSource } from 'typeorm';
import { MeterKeysController } from './meter-keys.controller';
import { TenantCallers } from './tenant-callers';
import { TenantKeysController } from './tenant-keys.controller';
import { TenantsController } from './tenants.controller';

export const SKM_KEY_NAMES = Symbol('SKM_KEY_NAMES');

/** Tenants, master keys, transport keys and meter keys (docs/SKM.md) on the service's HSM token and database. */
@Module({
  controllers: [TenantsController, TenantKeysController, MeterKeysController],
  providers: [
    TenantCallers,
    // The SKM's keys live in the service's own token (SMPKI_HSM_TOKEN).
    { provide: SKM_KEY_NAMES, inject: [SERVICE_CONFIG], useFactory: (config: ServiceConfig): SkmKeyNames => ({ token: config.hsm!.tokenLabel }) },
    {
      provide: TenantService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, SKM_KEY_NAMES],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, names: SkmKeyNames) => new TenantService(dataSource, keys, audit, names),
    },
    {
      provide: TransportKeyService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, SKM_KEY_NAMES],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, names: SkmKeyNames) => new TransportKeyService(dataSource, keys, audit, names),
    },
    {
      provide: TenantMasters,
      inject: [DATA_SOURCE, KEY_MANAGER, SKM_KEY_NAMES],
      useFactory: (dataSource: DataSource, keys: KeyManager, names: SkmKeyNames) => new TenantMasters(dataSource, keys, names),
    },
    {
      provide: MeterKeyService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, TenantMasters, TransportKeyService],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, masters: TenantMasters, transportKeys: TransportKeyService) =>
        new MeterKeyService(dataSource, keys, audit, masters, transportKeys),
    },
    {
      provide: MasterKeyRotationService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, SKM_KEY_NAMES],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, names: SkmKeyNames) => new MasterKeyRotationService(dataSource, keys, audit, names),
    },
    {
      provide: ProviderChangeService,
      inject: [DATA_SOURCE, KEY_MANAGER, AUDIT_TRAIL, TenantMasters],
      useFactory: (dataSource: DataSource, keys: KeyManager, audit: AuditTrail, masters: TenantMasters) => new ProviderChangeService(dataSource, keys, audit, masters),
    },
  ],
  // The shipment and crypto-service modules work on the same tenants, masters and meter keys.
  exports: [TenantCallers, TenantService, TenantMasters, TransportKeyService, MeterKeyService, SKM_KEY_NAMES],
})
export class SkmKeysModule {}
