/**
 * Import of a manufacturer's key shipment sent as a CMS envelope to the SKM's encryption certificate: the CEK is
 * agreed and unwrapped in the HSM (re-wrapped under the tenant master), the non-secret blocks are decrypted there,
 * each key block goes from its ciphertext into the HSM and out only under the tenant master. Every key is checked
 * (meter id, kind, KCV computed in the HSM against the shipped one, no duplicate in the shipment, meter not holding
 * another key); any refusal refuses the range and nothing is stored. A key the meter already holds with the same
 * KCV is `existing`, so re-sending a shipment is harmless (idempotent).
 */
import { isCryptoInputError, parseKeyAgreeEnvelope, recipientMatches, type KeyAgreeEnvelope } from '@smpki/crypto';
import { HsmError, type KeyBlockResult, type KeyManager } from '@smpki/hsm';
import type { FieldError } from '@smpki/platform';
import { In, type DataSource } from 'typeorm';
import { SkmMeterKey, type MeterKeyKind, type SkmTenant } from '../entities';
import type { MeterKeyService } from '../keys/meter-key.service';
import type { TenantMasters } from '../keys/tenant-master';
import { BLOCK_BYTES, decodeEntryHeader, decodeHeader, keyBlockOf, shipmentBytes, unpaddedLength, type ShipmentEntryHeader } from './shipment-format';
import { keysRefused, shipmentRefused } from './shipment-problems';
import type { SkmEncryptionIdentity } from './skm-encryption-identity';

export interface ShipmentRange {
  /** First key (0-based) to import; default 0. */
  from?: number;
  /** How many keys from `from`; default all. */
  count?: number;
}

export interface ShipmentKeyResult {
  index: number;
  meterId: string;
  kind: MeterKeyKind;
  kcv: string;
  status: 'imported' | 'existing';
}

export interface ShipmentImportResult {
  total: number;
  from: number;
  results: ShipmentKeyResult[];
}

export class ShipmentImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly masters: TenantMasters,
    private readonly meterKeys: MeterKeyService,
    private readonly identity: SkmEncryptionIdentity,
  ) {}

  async importEnvelope(tenant: SkmTenant, der: Buffer, requester: string, range: ShipmentRange = {}): Promise<ShipmentImportResult> {
    const envelope = await this.parse(der);
    const cek = await this.agreeCek(tenant, envelope);
    const total = (envelope.encryptedContent.length / BLOCK_BYTES - 2) / 3;
    const from = range.from ?? 0;
    const count = Math.max(0, Math.min(range.count ?? Number.MAX_SAFE_INTEGER, Math.floor(total) - from));
    const indexes = [...Array(count).keys()].map((i) => from + i);
    const { plaintext, keys } = await this.keys.aesCbcDecryptKeyBlocks(cek, envelope.iv, envelope.encryptedContent, Number.isInteger(total) ? indexes.map(keyBlockOf) : [], this.masters.writeUri(tenant));
    const entries = this.checkedLayout(plaintext);
    if (from < 0 || from > entries.length) throw shipmentRefused(400, 'from', 'shipment.range', `from must be between 0 and ${entries.length}`);
    const results = await this.checkKeys(tenant, entries, indexes, keys);
    const fresh = results.filter((result) => result.status === 'imported');
    if (fresh.length > 0) {
      const wrappedByIndex = new Map(keys.map((key, position) => [indexes[position]!, key]));
      await this.meterKeys.storeImportedBatch(
        tenant,
        fresh.map((result) => ({ meterId: result.meterId, kind: result.kind, bits: 128, key: wrappedByIndex.get(result.index)!.wrapped, kcv: result.kcv })),
        'skm.shipment.import',
        requester,
        { shipmentKeys: entries.length, from, count, existing: results.length - fresh.length, kdf: envelope.kdfHash },
      );
    }
    return { total: entries.length, from, results };
  }

  private async parse(der: Buffer): Promise<KeyAgreeEnvelope> {
    let envelope: KeyAgreeEnvelope;
    try {
      envelope = parseKeyAgreeEnvelope(der);
    } catch (error) {
      if (isCryptoInputError(error)) throw shipmentRefused(400, 'envelope', 'shipment.malformed', error.message);
      throw error;
    }
    const identity = await this.identity.get();
    if (!recipientMatches(envelope.recipient, identity.certificate)) {
      throw shipmentRefused(422, 'envelope', 'shipment.wrong-recipient', 'the envelope is not addressed to the SKM encryption certificate (GET /v1/encryption-certificate)');
    }
    return envelope;
  }

  /** The CEK, agreed in the HSM and kept wrapped under the tenant master. */
  private async agreeCek(tenant: SkmTenant, envelope: KeyAgreeEnvelope) {
    const identity = await this.identity.get();
    try {
      return await this.keys.unwrapWithKeyAgreement(identity.privateKeyUri, envelope.ephemeralPoint, { hash: envelope.kdfHash, sharedInfo: envelope.sharedInfo }, envelope.encryptedKey, this.masters.writeUri(tenant));
    } catch (error) {
      if (error instanceof HsmError && (error.code === 'integrity' || error.code === 'invalid-input')) {
        throw shipmentRefused(422, 'envelope', 'shipment.unwrap-failed', 'the content-encryption key does not unwrap: another recipient key, or a tampered envelope');
      }
      throw error;
    }
  }

  /** Padding, header and count must agree, or the content is no (intact) shipment: 422, nothing stored. */
  private checkedLayout(plaintext: Buffer): ShipmentEntryHeader[] {
    const length = unpaddedLength(plaintext);
    const header = decodeHeader(plaintext.subarray(0, BLOCK_BYTES));
    if (length === undefined) throw shipmentRefused(422, 'envelope', 'shipment.padding', 'the decrypted content has no valid padding (tampered or truncated)');
    if (typeof header === 'string') throw shipmentRefused(422, 'envelope', 'shipment.header', header);
    if (shipmentBytes(header) !== length) throw shipmentRefused(422, 'envelope', 'shipment.length', `the header announces ${header} keys but the content has ${length} bytes`);
    return [...Array(header).keys()].map((index) => decodeEntryHeader(plaintext, index));
  }

  private async checkKeys(tenant: SkmTenant, entries: ShipmentEntryHeader[], indexes: number[], keys: KeyBlockResult[]): Promise<ShipmentKeyResult[]> {
    const errors: FieldError[] = [];
    const refuse = (index: number, rule: string, message: string) => errors.push({ field: `keys[${index}]`, rule, message });
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      const id = `${entry.meterId}/${entry.kindCode}`;
      if (!entry.problem && seen.has(id)) refuse(index, 'shipment.duplicate', `${entry.meterId} ${entry.kind ?? entry.kindCode} appears twice (also keys[${seen.get(id)}])`);
      seen.set(id, index);
    });
    const existing = await this.existingRows(indexes.map((index) => entries[index]!));
    const results: ShipmentKeyResult[] = [];
    indexes.forEach((index, position) => {
      const entry = entries[index]!;
      const computed = keys[position]!;
      if (entry.problem) return refuse(index, entry.problem.rule, entry.problem.message);
      if (!entry.kind) return refuse(index, 'key.kind-unknown', `kind code ${entry.kindCode} is no key kind the SKM knows`);
      if (computed.kcv !== entry.kcv) return refuse(index, 'key.check-value-mismatch', `the key check value of ${entry.meterId} ${entry.kind} differs from the shipped one`);
      const held = existing.filter((row) => row.meterId === entry.meterId && row.kind === entry.kind);
      if (held.some((row) => row.kcv === entry.kcv && row.tenantId === tenant.id && row.state !== 'destroyed')) {
        results.push({ index, meterId: entry.meterId, kind: entry.kind, kcv: entry.kcv, status: 'existing' });
        return;
      }
      if (held.length > 0) return refuse(index, 'key.exists', `${entry.meterId} already has another ${entry.kind} key; rotate it instead`);
      results.push({ index, meterId: entry.meterId, kind: entry.kind, kcv: entry.kcv, status: 'imported' });
    });
    if (errors.length > 0) throw keysRefused(errors);
    return results;
  }

  private existingRows(entries: ShipmentEntryHeader[]): Promise<SkmMeterKey[]> {
    const meterIds = [...new Set(entries.filter((entry) => !entry.problem).map((entry) => entry.meterId))];
    if (meterIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(SkmMeterKey).find({ where: { meterId: In(meterIds) } });
  }
}
