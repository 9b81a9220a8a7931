/**
 * The lifecycle of meter keys: generated in the HSM or imported from a transport key, stored only wrapped under the
 * tenant master, exported only wrapped under a recipient's transport key, rotated in versions that become active
 * when the meter confirms the key change, and destroyed by erasing the blob. Every change and every export is
 * audited with who did it; the clear key never leaves the HSM.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { isUniqueViolation } from '@smpki/ca';
import { HsmError, type AesKeyBits, type KeyManager, type WrappedKey } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { SkmMeterKey, type MeterKeyKind, type SkmTenant, type SkmTransportKey } from '../entities';
import { insertKeyRows } from './insert-key-rows';
import { keyCheckValue } from './key-check-value';
import { allowedBits, bitsOfWrapped, kindsOfSet, normaliseMeterId, type KeySetType } from './meter-key-input';
import {
  bitsNotAllowed,
  checkValueMismatch,
  keyExists,
  keyNotUsable,
  noKeyOfKind,
  noPendingKey,
  rotationPending,
  unknownKeyVersion,
  unknownMeter,
  unwrapFailed,
  wrongKeyLength,
} from './skm-problems';
import type { TenantMasters } from './tenant-master';
import type { TransportKeyService } from './transport-key.service';

export interface KeyImport {
  kind: MeterKeyKind;
  /** Name of the tenant's transport key the blob is wrapped under. */
  transportKey: string;
  /** RFC 3394 blob, hex. */
  wrapped: string;
  /** KCV of the clear key as the sender computed it (6 hex digits). */
  kcv: string;
}

export interface KeyExport {
  key: SkmMeterKey;
  transportKey: SkmTransportKey;
  /** RFC 3394 blob under the recipient's transport key. */
  wrapped: Buffer;
}

/** Keys listed by one audit event of a batch import (about 80 bytes of JSON each, within the 16 KiB limit). */
const KEYS_PER_AUDIT_EVENT = 150;

/** A key wrapped under the tenant's write master, with its check value, before it is stored. */
interface NewKey {
  kind: MeterKeyKind;
  bits: AesKeyBits;
  key: WrappedKey;
  kcv: string;
}

export class MeterKeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly masters: TenantMasters,
    private readonly transportKeys: TransportKeyService,
  ) {}

  /** Version 1 of a DLMS key set (4 keys) or of a wM-Bus key, generated in the HSM; 409 when the meter has one. */
  async generate(tenant: SkmTenant, meterIdInput: string, type: KeySetType, bits: AesKeyBits, requester: string): Promise<SkmMeterKey[]> {
    const meterId = normaliseMeterId(meterIdInput);
    const kinds = kindsOfSet(type);
    const refusing = kinds.find((kind) => !allowedBits(kind).includes(bits));
    if (refusing) throw bitsNotAllowed(refusing, bits, allowedBits(refusing));
    await this.refuseExisting(meterId, kinds);
    const fresh = await Promise.all(kinds.map((kind) => this.generated(tenant, kind, bits)));
    return this.store(tenant, meterId, fresh, { version: () => 1, state: 'active', origin: 'generated' }, 'skm.key.generate', requester);
  }

  /**
   * Version 1 of one key, received wrapped under one of the tenant's transport keys: checked (length, RFC 3394
   * integrity, KCV) and moved under the tenant master inside the HSM.
   */
  async import(tenant: SkmTenant, meterIdInput: string, input: KeyImport, requester: string): Promise<SkmMeterKey> {
    const meterId = normaliseMeterId(meterIdInput);
    const transport = await this.transportKeys.get(tenant, input.transportKey);
    const blob = Buffer.from(input.wrapped, 'hex');
    const bits = bitsOfWrapped(blob, 'wrapped');
    if (!allowedBits(input.kind).includes(bits)) throw wrongKeyLength('wrapped', 128, blob.length);
    await this.refuseExisting(meterId, [input.kind]);
    const received: WrappedKey = { wrappingKeyUri: transport.keyUri, wrapped: blob };
    const kcv = await this.unwrapChecked(() => keyCheckValue(this.keys, received), transport.name);
    if (kcv !== input.kcv.toUpperCase()) throw checkValueMismatch('kcv');
    const key = await this.keys.rewrapKey(received, this.masters.writeUri(tenant));
    const [row] = await this.store(tenant, meterId, [{ kind: input.kind, bits, key, kcv }], { version: () => 1, state: 'active', origin: 'imported' }, 'skm.key.import', requester, {
      transportKey: transport.name,
      counterparty: transport.counterparty,
    });
    return row!;
  }

  /**
   * Version 1 of many meters' keys at once (a key shipment), each already checked and wrapped under the tenant
   * master: one transaction, bulk INSERTs (insert-key-rows.ts), audit events `action` listing every key (meter,
   * kind, KCV), 150 keys an event. A unique-index conflict (another request stored one of these keys meanwhile) refuses the whole batch with 409
   * `key.exists`.
   */
  async storeImportedBatch(
    tenant: SkmTenant,
    items: ReadonlyArray<{ meterId: string; kind: MeterKeyKind; bits: AesKeyBits; key: WrappedKey; kcv: string }>,
    action: string,
    requester: string,
    details: Record<string, unknown>,
  ): Promise<SkmMeterKey[]> {
    const now = new Date();
    const shape = { version: () => 1, state: 'active' as const, origin: 'imported' as const };
    try {
      return await runInTransaction(this.dataSource, async (manager) => {
        // The write master once for the batch (read in this transaction: a rotation started meanwhile is seen).
        const target = await this.masters.writeTarget(manager, tenant.id);
        const stored = await Promise.all(items.map((item) => this.masters.underTarget(target, item.key)));
        const rows = items.map((item, index) => newKeyRow(tenant, normaliseMeterId(item.meterId), item, stored[index]!, shape, now));
        await insertKeyRows(manager, rows);
        // One event per part of the batch: an event's details are limited in size (16 KiB of JSON).
        const parts = Math.ceil(rows.length / KEYS_PER_AUDIT_EVENT);
        await this.audit.appendMany(
          Array.from({ length: parts }, (_, part) => ({
            action,
            outcome: 'success' as const,
            actor: requester,
            target: `skm-tenant/${tenant.id}`,
            details: { ...details, part: part + 1, parts, keys: rows.slice(part * KEYS_PER_AUDIT_EVENT, (part + 1) * KEYS_PER_AUDIT_EVENT).map(({ meterId, kind, version, kcv }) => ({ meterId, kind, version, kcv })) },
          })),
          manager,
        );
        return rows;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw keyExists(items[0]!.meterId, items[0]!.kind);
      throw error;
    }
  }

  /** The key (default: the active version) wrapped under the recipient's transport key; audited who, what, to whom. */
  async export(tenant: SkmTenant, meterIdInput: string, kind: MeterKeyKind, transportKeyName: string, requester: string, version?: number): Promise<KeyExport> {
    const meterId = normaliseMeterId(meterIdInput);
    const key = await this.usableVersion(tenant, meterId, kind, version);
    const transportKey = await this.transportKeys.get(tenant, transportKeyName);
    const out = await this.masters.withRowKey(tenant, key, (wrapped) => this.keys.rewrapKey(wrapped, transportKey.keyUri));
    await this.audit.append({
      action: 'skm.key.export',
      outcome: 'success',
      actor: requester,
      target: meterTarget(tenant, meterId),
      details: { kind, version: key.version, kcv: key.kcv, recipient: transportKey.name, counterparty: transportKey.counterparty },
    });
    return { key, transportKey, wrapped: out.wrapped };
  }

  /** A new `pending` version of each given kind (default: every kind the meter has); active once confirmed. */
  async rotate(tenant: SkmTenant, meterIdInput: string, requester: string, kinds?: readonly MeterKeyKind[]): Promise<SkmMeterKey[]> {
    const meterId = normaliseMeterId(meterIdInput);
    const rows = await this.rowsOf(tenant, meterId);
    const targets = kinds ?? [...new Set(rows.map((row) => row.kind))];
    const latest = new Map<MeterKeyKind, SkmMeterKey>();
    for (const kind of targets) {
      const ofKind = rows.filter((row) => row.kind === kind);
      if (ofKind.length === 0) throw noKeyOfKind(meterId, kind);
      if (ofKind.some((row) => row.state === 'pending')) throw rotationPending(meterId, kind);
      latest.set(kind, ofKind.reduce((a, b) => (a.version > b.version ? a : b)));
    }
    const fresh = await Promise.all(targets.map((kind) => this.generated(tenant, kind, latest.get(kind)!.bits as AesKeyBits)));
    return this.store(tenant, meterId, fresh, { version: (kind) => latest.get(kind)!.version + 1, state: 'pending', origin: 'generated' }, 'skm.key.rotate', requester);
  }

  /** The meter confirmed the key change: the pending version becomes active, the one before is retired. */
  async confirm(tenant: SkmTenant, meterIdInput: string, kind: MeterKeyKind, requester: string): Promise<SkmMeterKey> {
    const meterId = normaliseMeterId(meterIdInput);
    const rows = (await this.rowsOf(tenant, meterId)).filter((row) => row.kind === kind);
    const pending = rows.find((row) => row.state === 'pending');
    if (!pending) throw noPendingKey(meterId, kind);
    const now = new Date();
    await runInTransaction(this.dataSource, async (manager) => {
      await manager.update(SkmMeterKey, { tenantId: tenant.id, meterId, kind, state: 'active' }, { state: 'retired', retiredAt: now });
      await manager.update(SkmMeterKey, { id: pending.id, state: 'pending' }, { state: 'active', activatedAt: now });
      await this.audit.append({ action: 'skm.key.confirm', outcome: 'success', actor: requester, target: meterTarget(tenant, meterId), details: { kind, version: pending.version, kcv: pending.kcv } }, manager);
    });
    return Object.assign(pending, { state: 'active' as const, activatedAt: now });
  }

  /** Erases the blob of one version (every version of every kind when `kind` is absent); the row stays as history. */
  async destroy(tenant: SkmTenant, meterIdInput: string, requester: string, kind?: MeterKeyKind, version?: number): Promise<SkmMeterKey[]> {
    const meterId = normaliseMeterId(meterIdInput);
    let rows = (await this.rowsOf(tenant, meterId)).filter((row) => row.state !== 'destroyed');
    if (kind !== undefined) rows = rows.filter((row) => row.kind === kind && (version === undefined || row.version === version));
    if (kind !== undefined && version !== undefined && rows.length === 0) throw unknownKeyVersion(meterId, kind, version);
    const now = new Date();
    await runInTransaction(this.dataSource, async (manager) => {
      for (const row of rows) {
        await manager.update(SkmMeterKey, { id: row.id }, { state: 'destroyed', wrapped: null, destroyedAt: now });
        await this.audit.append(
          { action: 'skm.key.destroy', outcome: 'success', actor: requester, target: meterTarget(tenant, meterId), details: { kind: row.kind, version: row.version, kcv: row.kcv, previousState: row.state } },
          manager,
        );
      }
    });
    return rows.map((row) => Object.assign(row, { state: 'destroyed' as const, wrapped: null, destroyedAt: now }));
  }

  /** Every key version of the meter, oldest first; 404 when the tenant holds none. */
  async rowsOf(tenant: SkmTenant, meterIdInput: string): Promise<SkmMeterKey[]> {
    const meterId = normaliseMeterId(meterIdInput);
    const rows = await this.dataSource.getRepository(SkmMeterKey).find({ where: { tenantId: tenant.id, meterId }, order: { kind: 'ASC', version: 'ASC' } });
    if (rows.length === 0) throw unknownMeter(meterId);
    return rows;
  }

  private async usableVersion(tenant: SkmTenant, meterId: string, kind: MeterKeyKind, version?: number): Promise<SkmMeterKey> {
    const rows = (await this.rowsOf(tenant, meterId)).filter((row) => row.kind === kind);
    const key = version === undefined ? rows.find((row) => row.state === 'active') : rows.find((row) => row.version === version);
    if (!key) throw unknownKeyVersion(meterId, kind, version);
    if (key.wrapped === null) throw keyNotUsable(meterId, kind, key.version, key.state);
    return key;
  }

  private async generated(tenant: SkmTenant, kind: MeterKeyKind, bits: AesKeyBits): Promise<NewKey> {
    const key = await this.keys.generateWrappedAesKey(this.masters.writeUri(tenant), bits);
    return { kind, bits, key, kcv: await keyCheckValue(this.keys, key) };
  }

  /** Whoever holds the meter's key (this tenant or another), a second version 1 is refused. */
  private async refuseExisting(meterId: string, kinds: readonly MeterKeyKind[]): Promise<void> {
    const existing = await this.dataSource.getRepository(SkmMeterKey).findOne({ where: { meterId, kind: In([...kinds]) } });
    if (existing) throw keyExists(meterId, existing.kind);
  }

  /** A transport-key blob that fails the RFC 3394 integrity check is the sender's mistake: 422, not 500. */
  private async unwrapChecked<T>(operation: () => Promise<T>, transportKey: string): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof HsmError && error.code === 'integrity') throw unwrapFailed('wrapped', transportKey);
      throw error;
    }
  }

  private async store(
    tenant: SkmTenant,
    meterId: string,
    fresh: readonly NewKey[],
    shape: RowShape,
    action: string,
    requester: string,
    extra: Record<string, unknown> = {},
  ): Promise<SkmMeterKey[]> {
    const now = new Date();
    try {
      return await runInTransaction(this.dataSource, async (manager) => {
        const rows: SkmMeterKey[] = [];
        for (const item of fresh) rows.push(await this.insertRow(manager, tenant, meterId, item, shape, now));
        await this.audit.append(
          { action, outcome: 'success', actor: requester, target: meterTarget(tenant, meterId), details: { ...extra, keys: rows.map(({ kind, version, kcv, state }) => ({ kind, version, kcv, state })) } },
          manager,
        );
        return rows;
      });
    } catch (error) {
      // Two requests for the same meter at once: the unique index decides, the loser is told the key exists.
      if (isUniqueViolation(error)) throw keyExists(meterId, fresh[0]!.kind);
      throw error;
    }
  }

  private async insertRow(manager: EntityManager, tenant: SkmTenant, meterId: string, item: NewKey, shape: RowShape, now: Date): Promise<SkmMeterKey> {
    const stored = await this.masters.underWriteVersion(manager, tenant.id, item.key);
    const row = newKeyRow(tenant, meterId, item, stored, shape, now);
    await manager.insert(SkmMeterKey, row);
    return row;
  }
}

type RowShape = { version: (kind: MeterKeyKind) => number; state: 'active' | 'pending'; origin: 'generated' | 'imported' };

function newKeyRow(tenant: SkmTenant, meterId: string, item: Pick<NewKey, 'kind' | 'bits' | 'kcv'>, stored: { wrapped: string; masterVersion: number }, shape: RowShape, now: Date): SkmMeterKey {
  return Object.assign(new SkmMeterKey(), {
    id: randomUUID(),
    tenantId: tenant.id,
    meterId,
    kind: item.kind,
    version: shape.version(item.kind),
    state: shape.state,
    bits: item.bits,
    ...stored,
    kcv: item.kcv,
    origin: shape.origin,
    createdAt: now,
    activatedAt: shape.state === 'active' ? now : null,
    retiredAt: null,
    destroyedAt: null,
  });
}

export function meterTarget(tenant: SkmTenant, meterId: string): string {
  return `skm-tenant/${tenant.id}/meter/${meterId}`;
}
