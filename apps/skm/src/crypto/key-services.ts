import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@smpki/auth';
import type { AuditTrail } from '@smpki/audit';
import type { KeyManager } from '@smpki/hsm';
import { AUDIT_TRAIL, DATA_SOURCE, KEY_MANAGER } from '@smpki/platform';
import {
  ActiveMeterKeys,
  DlmsCryptoService,
  DlmsKeyTransferService,
  InvocationCounters,
  MeterKeyService,
  OmsCryptoService,
  TenantMasters,
  TenantService,
  type SkmTenant,
} from '@smpki/skm';
import type { DataSource } from 'typeorm';

/** The crypto services over the key hierarchy of SkmKeysModule (one instance of each per SKM process). */
@Injectable()
export class CryptoServices {
  readonly dlms: DlmsCryptoService;
  readonly oms: OmsCryptoService;
  readonly keyTransfer: DlmsKeyTransferService;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(KEY_MANAGER) keys: KeyManager,
    @Inject(AUDIT_TRAIL) audit: AuditTrail,
    private readonly tenants: TenantService,
    masters: TenantMasters,
    meterKeys: MeterKeyService,
  ) {
    const active = new ActiveMeterKeys(meterKeys, masters);
    const counters = new InvocationCounters(dataSource);
    this.dlms = new DlmsCryptoService(keys, active, counters);
    this.oms = new OmsCryptoService(keys, active, counters);
    this.keyTransfer = new DlmsKeyTransferService(keys, audit, masters, meterKeys);
  }

  /** The tenant the caller is bound to (403 `tenant.member-required` otherwise), as for the key commands. */
  tenantOf(principal: Principal): Promise<SkmTenant> {
    return this.tenants.tenantOf(principal.subject);
  }
}
