/**
 * Retirement: the meter's certificate is revoked (cessationOfOperation) and the meter marked retired, in one
 * transaction with the audit records. Retiring a retired meter answers it as it is.
 */
import type { AuditTrail } from '@smpki/audit';
import { markRevoked, type CaRegistry } from '@smpki/ca';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { Meter } from './entities';
import type { RegistrationCaller } from './meter-item';
import { DEFAULT_METER_CERTIFICATE_OPTIONS, type MeterCertificateOptions } from './meter-registration.service';
import { unknownMeter } from './registry-problems';

export class MeterRetirementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: CaRegistry,
    private readonly audit: AuditTrail,
    private readonly options: MeterCertificateOptions = DEFAULT_METER_CERTIFICATE_OPTIONS,
    private readonly afterRevocation?: (caName: string) => Promise<unknown>,
  ) {}

  async retire(caller: RegistrationCaller, meterId: string): Promise<Meter> {
    const ca = this.registry.get(this.options.ca);
    let revoked = false;
    const meter = await runInTransaction(this.dataSource, async (manager) => {
      const row = await manager.findOne(Meter, { where: { meterId, manufacturerId: caller.manufacturer.id } });
      if (!row) throw unknownMeter(meterId);
      if (row.status === 'retired') return row;
      const now = new Date();
      if (row.certificateSerial) {
        revoked = await markRevoked(manager, { authorityId: ca.id, caName: ca.name, serial: row.certificateSerial, reason: 'cessationOfOperation', at: now });
      }
      await manager.update(Meter, { id: row.id }, { status: 'retired', updatedAt: now });
      const events = [
        ...(revoked
          ? [{ action: 'ca.certificate.revoke', outcome: 'success' as const, actor: caller.requester, target: `${ca.name}/${row.certificateSerial}`, details: { ca: ca.name, serial: row.certificateSerial, reason: 'cessationOfOperation', meterId } }]
          : []),
        { action: 'registry.meter.retire', outcome: 'success' as const, actor: caller.requester, target: `meter/${meterId}`, details: { meterId, manufacturer: caller.manufacturer.id, serial: row.certificateSerial } },
      ];
      await this.audit.appendMany(events, manager);
      return Object.assign(row, { status: 'retired' as const, updatedAt: now });
    });
    if (revoked && ca.config.crlOnRevocation) await this.afterRevocation?.(ca.name);
    return meter;
  }
}
