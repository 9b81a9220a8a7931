/**
 * Bulk import of meter keys wrapped under a pre-agreed transport key (the second shipment form of issue 6 item 3):
 * up to MAX_WRAPPED_IMPORT_ITEMS keys a request, each judged on its own with the checks of the single import (key
 * length for its kind, no duplicate in the request, meter not holding another key of that kind, RFC 3394 integrity
 * under the transport key, KCV) and answered `imported`, `existing` (the tenant holds that key, same KCV: a re-sent
 * file is harmless) or `refused` with its rule. The accepted keys move from the transport key to the tenant master
 * inside the HSM and are stored in one transaction; the refusals are audited together.
 */
import type { AuditTrail } from '@smpki/audit';
import { HsmError, type AesKeyBits, type KeyManager, type WrappedKey } from '@smpki/hsm';
import type { DataSource } from 'typeorm';
import type { MeterKeyKind, SkmTenant, SkmTransportKey } from '../entities';
import { heldKey, heldStatus, keyRowsOf } from '../keys/held-keys';
import { keyCheckValue } from '../keys/key-check-value';
import { allowedBits, normaliseMeterId } from '../keys/meter-key-input';
import type { MeterKeyService } from '../keys/meter-key.service';
import type { TenantMasters } from '../keys/tenant-master';
import type { TransportKeyService } from '../keys/transport-key.service';

/** Keys a request: one transaction, and a CSV file goes in slices of this size with a progress bar. */
export const MAX_WRAPPED_IMPORT_ITEMS = 5000;

export interface WrappedKeyItem {
  meterId: string;
  kind: MeterKeyKind;
  /** RFC 3394 blob under the transport key, hex. */
  wrapped: string;
  /** KCV of the clear key as the sender computed it (6 hex digits). */
  kcv: string;
}

export type WrappedKeyResult =
  | { index: number; meterId: string; kind: MeterKeyKind; status: 'imported' | 'existing'; kcv: string }
  | { index: number; meterId: string; kind: MeterKeyKind; status: 'refused'; rule: string; message: string };

export interface WrappedKeyImportResult {
  imported: number;
  existing: number;
  refused: number;
  results: WrappedKeyResult[];
}

type Verdict = { status: 'imported'; key: WrappedKey; bits: AesKeyBits; kcv: string } | { status: 'existing'; kcv: string } | { status: 'refused'; rule: string; message: string };

export class WrappedKeyImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly masters: TenantMasters,
    private readonly meterKeys: MeterKeyService,
    private readonly transportKeys: TransportKeyService,
  ) {}

  /** 404 `transport-key.unknown` refuses the whole request; everything else is answered per item. */
  async importWrapped(tenant: SkmTenant, transportKeyName: string, items: readonly WrappedKeyItem[], requester: string): Promise<WrappedKeyImportResult> {
    const transport = await this.transportKeys.get(tenant, transportKeyName);
    const normalised = items.map((item) => ({ ...item, meterId: normaliseMeterId(item.meterId), kcv: item.kcv.toUpperCase() }));
    const held = await keyRowsOf(this.dataSource, normalised.map((item) => item.meterId));
    const seen = new Map<string, number>();
    const writeUri = this.masters.writeUri(tenant);
    // Every HSM call at once: the key manager spreads them over its workers.
    const verdicts = await Promise.all(
      normalised.map((item, index) => {
        const id = heldKey(item.meterId, item.kind);
        const twin = seen.get(id);
        if (twin === undefined) seen.set(id, index);
        if (twin !== undefined) return refusal('shipment.duplicate', `${item.meterId} ${item.kind} appears twice (also items[${twin}])`);
        return this.verdict(tenant, transport, item, heldStatus(tenant, held.get(id) ?? [], item.kcv), writeUri);
      }),
    );
    const results = normalised.map((item, index) => resultOf(index, item, verdicts[index]!));
    const fresh = normalised.flatMap((item, index) => {
      const verdict = verdicts[index]!;
      return verdict.status === 'imported' ? [{ meterId: item.meterId, kind: item.kind, bits: verdict.bits, key: verdict.key, kcv: verdict.kcv }] : [];
    });
    const counts = { imported: fresh.length, existing: verdicts.filter((v) => v.status === 'existing').length, refused: verdicts.filter((v) => v.status === 'refused').length };
    const details = { transportKey: transport.name, counterparty: transport.counterparty, items: items.length, ...counts };
    if (fresh.length > 0) await this.meterKeys.storeImportedBatch(tenant, fresh, 'skm.key.import', requester, details);
    await this.auditRefusals(tenant, requester, details, results);
    return { ...counts, results };
  }

  /** The single import's checks, in its order, for one item; the HSM is asked only when the database allows it. */
  private async verdict(tenant: SkmTenant, transport: SkmTransportKey, item: WrappedKeyItem, held: 'imported' | 'existing' | 'exists', writeUri: string): Promise<Verdict> {
    const blob = Buffer.from(item.wrapped, 'hex');
    const bits = (blob.length - 8) * 8;
    if (blob.length * 2 !== item.wrapped.length || !(allowedBits(item.kind) as readonly number[]).includes(bits)) {
      return refusal('key.length', `an RFC 3394 wrapped ${item.kind} key is ${allowedBits(item.kind).map((b) => b / 8 + 8).join(' or ')} bytes, got ${blob.length}`);
    }
    if (held === 'existing') return { status: 'existing', kcv: item.kcv };
    if (held === 'exists') return refusal('key.exists', `${item.meterId} already has another ${item.kind} key; rotate it instead`);
    const received: WrappedKey = { wrappingKeyUri: transport.keyUri, wrapped: blob };
    try {
      const [kcv, key] = await Promise.all([keyCheckValue(this.keys, received), this.keys.rewrapKey(received, writeUri)]);
      if (kcv !== item.kcv) return refusal('key.check-value-mismatch', 'the key check value of the received key differs from the one supplied');
      return { status: 'imported', key, bits: bits as AesKeyBits, kcv };
    } catch (error) {
      if (error instanceof HsmError && error.code === 'integrity') return refusal('key.unwrap-failed', `the blob does not unwrap under transport key ${transport.name} (RFC 3394 integrity check)`);
      throw error;
    }
  }

  /** Refused items are security relevant: recorded as the platform records refused requests, one event a request. */
  private async auditRefusals(tenant: SkmTenant, requester: string, details: Record<string, unknown>, results: readonly WrappedKeyResult[]): Promise<void> {
    const refused = results.flatMap((result) => (result.status === 'refused' ? [{ field: `items[${result.index}]`, rule: result.rule, meterId: result.meterId, kind: result.kind }] : []));
    for (let at = 0; at < refused.length; at += REFUSALS_PER_EVENT) {
      await this.audit.append({
        action: 'request.refused',
        outcome: 'failure',
        actor: requester,
        target: `skm-tenant/${tenant.id}`,
        details: { ...details, operation: 'skm.key.import', errors: refused.slice(at, at + REFUSALS_PER_EVENT) },
      });
    }
  }
}

/** About 90 bytes of JSON each: well within an audit event's 16 KiB. */
const REFUSALS_PER_EVENT = 120;

function refusal(rule: string, message: string): Verdict {
  return { status: 'refused', rule, message };
}

function resultOf(index: number, item: WrappedKeyItem, verdict: Verdict): WrappedKeyResult {
  const base = { index, meterId: item.meterId, kind: item.kind };
  if (verdict.status === 'refused') return { ...base, status: 'refused', rule: verdict.rule, message: verdict.message };
  return { ...base, status: verdict.status, kcv: verdict.kcv };
}
