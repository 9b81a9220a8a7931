/**
 * DLMS key change (issue 6 item 5): new versions of a meter's keys are created `pending` (the rotate path) and
 * handed out as the parameter of Security Setup method 2 `global_key_transfer`: each new key RFC 3394-wrapped under
 * the meter's current active KEK inside the HSM (both stay wrapped under the tenant master). The head-end invokes
 * the method on the meter; once the meter has confirmed, POST .../{kind}/confirmation activates the new version.
 */
import type { AuditTrail } from '@smpki/audit';
import type { KeyManager } from '@smpki/hsm';
import type { MeterKeyKind, SkmMeterKey, SkmTenant } from '../entities';
import { DlmsKeyId, globalKeyTransferParameter } from '../protocol';
import { normaliseMeterId } from './meter-key-input';
import { meterTarget, type MeterKeyService } from './meter-key.service';
import { keyNotUsable, notTransferable, unknownKeyVersion } from './skm-problems';
import type { TenantMasters } from './tenant-master';

/** key_id of key_data per IEC 62056-5-3. */
export const DLMS_KEY_IDS: Readonly<Partial<Record<MeterKeyKind, DlmsKeyId>>> = {
  'dlms-guek': DlmsKeyId.globalUnicastEncryption,
  'dlms-gbek': DlmsKeyId.globalBroadcastEncryption,
  'dlms-ak': DlmsKeyId.authentication,
  'dlms-kek': DlmsKeyId.masterKek,
};

/** The working keys a routine key change replaces; a new KEK is asked for explicitly. */
export const DEFAULT_TRANSFER_KINDS: readonly MeterKeyKind[] = ['dlms-guek', 'dlms-gbek', 'dlms-ak'];

export interface KeyTransfer {
  /** The pending versions the parameter carries. */
  keys: SkmMeterKey[];
  /** The active KEK they are wrapped under. */
  kek: SkmMeterKey;
  /** A-XDR array of key_data { key_id, key_wrapped }. */
  parameter: Buffer;
  /** true when the pending versions existed already (a parameter handed out again, e.g. after a lost answer). */
  reissued: boolean;
}

export class DlmsKeyTransferService {
  constructor(
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly masters: TenantMasters,
    private readonly meterKeys: MeterKeyService,
  ) {}

  /**
   * New pending versions of `kinds` and their `global_key_transfer` parameter. When every asked kind already has a
   * pending version, the parameter for those is produced again (nothing new is generated); when only some have,
   * 409 `key.rotation-pending` (from the rotate path).
   */
  async transfer(tenant: SkmTenant, meterIdInput: string, requester: string, kinds: readonly MeterKeyKind[] = DEFAULT_TRANSFER_KINDS): Promise<KeyTransfer> {
    const meterId = normaliseMeterId(meterIdInput);
    const refused = kinds.find((kind) => DLMS_KEY_IDS[kind] === undefined);
    if (refused !== undefined) throw notTransferable(refused);
    const rows = await this.meterKeys.rowsOf(tenant, meterId);
    const kek = activeKek(rows, meterId);
    const pending = kinds.map((kind) => rows.find((row) => row.kind === kind && row.state === 'pending'));
    const reissued = pending.every((row) => row !== undefined && row.wrapped !== null);
    const fresh = reissued ? (pending as SkmMeterKey[]) : await this.meterKeys.rotate(tenant, meterId, requester, kinds);
    const items = fresh.map((row) => ({ keyId: DLMS_KEY_IDS[row.kind]!, key: this.masters.wrappedOf(tenant, row) }));
    const parameter = await this.masters.withRowKey(tenant, kek, (kekKey) => globalKeyTransferParameter(this.keys, kekKey, items));
    await this.audit.append({
      action: 'skm.key.transfer',
      outcome: 'success',
      actor: requester,
      target: meterTarget(tenant, meterId),
      details: { reissued, kek: { version: kek.version, kcv: kek.kcv }, keys: fresh.map(({ kind, version, kcv }) => ({ kind, keyId: DLMS_KEY_IDS[kind], version, kcv })) },
    });
    return { keys: fresh, kek, parameter, reissued };
  }
}

function activeKek(rows: readonly SkmMeterKey[], meterId: string): SkmMeterKey {
  const kek = rows.find((row) => row.kind === 'dlms-kek' && row.state === 'active');
  if (!kek) throw unknownKeyVersion(meterId, 'dlms-kek');
  if (kek.wrapped === null) throw keyNotUsable(meterId, 'dlms-kek', kek.version, kek.state);
  return kek;
}
