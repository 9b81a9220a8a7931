/**
 * The active keys of a meter as HSM operation inputs: each stays the RFC 3394 blob under its tenant master, so the
 * HSM unwraps it for the one operation and no caller ever holds it in clear.
 */
import type { WrappedKey } from '@smpki/hsm';
import type { MeterKeyKind, SkmMeterKey, SkmTenant } from '../entities';
import type { MeterKeyService } from '../keys/meter-key.service';
import { keyNotUsable, unknownKeyVersion } from '../keys/skm-problems';
import type { TenantMasters } from '../keys/tenant-master';

export class ActiveMeterKeys {
  constructor(
    private readonly meterKeys: MeterKeyService,
    private readonly masters: TenantMasters,
  ) {}

  /** The active row of each kind, in the order asked; 404 `meter.unknown` / `key.unknown` when one is missing. */
  async rows(tenant: SkmTenant, meterId: string, kinds: readonly MeterKeyKind[]): Promise<SkmMeterKey[]> {
    const rows = await this.meterKeys.rowsOf(tenant, meterId);
    return kinds.map((kind) => {
      const active = rows.find((row) => row.kind === kind && row.state === 'active');
      if (!active) throw unknownKeyVersion(meterId, kind);
      if (active.wrapped === null) throw keyNotUsable(meterId, kind, active.version, active.state);
      return active;
    });
  }

  /**
   * Runs `use` with the rows' blobs. Each row goes through TenantMasters.withRowKey, so a master-key rotation that
   * moves a row between the read and the HSM call is followed, not failed.
   */
  async use<T>(tenant: SkmTenant, rows: readonly SkmMeterKey[], use: (keys: WrappedKey[]) => Promise<T>, taken: WrappedKey[] = []): Promise<T> {
    const [first, ...rest] = rows;
    if (first === undefined) return use(taken);
    return this.masters.withRowKey(tenant, first, (key) => this.use(tenant, rest, use, [...taken, key]));
  }
}

/** The counter key id of a key version: a new version starts a new counter. */
export function counterKeyId(row: Pick<SkmMeterKey, 'kind' | 'version'>): string {
  return `${row.kind}/v${row.version}`;
}
