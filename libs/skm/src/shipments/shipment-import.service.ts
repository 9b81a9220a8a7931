/**
 * Import of a manufacturer's key shipment sent as a CMS envelope to the SKM's encryption certificate: the CEK is
 * agreed and unwrapped in the HSM (re-wrapped under the tenant master), the non-secret blocks are decrypted there,
 * each key block goes from its ciphertext into the HSM and out only under the tenant master. Every key is checked
 * (meter id, kind, KCV computed in the HSM against the shipped one, no duplicate in the range, meter not holding
 * another key); any refusal refuses the range and nothing is stored. A key the meter already holds with the same
 * KCV is `existing`, so re-sending a shipment is harmless (idempotent). A range's keys go through the HSM in
 * parallel runs of blocks, and only its own key blocks are ever decrypted (in the HSM).
 */
import { isCryptoInputError, parseKeyAgreeEnvelope, recipientMatches, type KeyAgreeEnvelope } from '@smpki/crypto';
import { HsmError, type KeyBlockResult, type KeyManager, type WrappedKey } from '@smpki/hsm';
import type { FieldError } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import type { MeterKeyKind, SkmMeterKey, SkmTenant } from '../entities';
import { heldKey, heldStatus, keyRowsOf } from '../keys/held-keys';
import type { MeterKeyService } from '../keys/meter-key.service';
import type { TenantMasters } from '../keys/tenant-master';
import { BLOCK_BYTES, BLOCKS_PER_KEY, decodeEntryBlocks, decodeHeader, entriesInBlocks, keyBlockOf, unpaddedLength, type ShipmentEntryHeader } from './shipment-format';
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
    const content = envelope.encryptedContent;
    const total = entriesInBlocks(content.length / BLOCK_BYTES);
    if (total === undefined) throw shipmentRefused(422, 'envelope', 'shipment.length', `the content (${content.length} bytes) is no header, whole key entries and padding`);
    const from = range.from ?? 0;
    if (from < 0 || from > total) throw shipmentRefused(400, 'from', 'shipment.range', `from must be between 0 and ${total}`);
    const count = Math.max(0, Math.min(range.count ?? Number.MAX_SAFE_INTEGER, total - from));
    const cek = await this.agreeCek(tenant, envelope);
    const writeUri = this.masters.writeUri(tenant);
    // The header, the padding and the range's entries in parallel calls: the key manager spreads them over its HSM
    // workers. Each call gets only its own blocks, so no key outside the range is ever decrypted.
    const [, ...chunks] = await Promise.all([
      this.checkedLayout(cek, envelope, total),
      ...chunkRanges(from, count, KEYS_PER_HSM_CALL).map(([first, entries]) => this.decryptEntries(cek, envelope, first, entries, writeUri)),
    ]);
    const decrypted = chunks.flat();
    const results = await this.checkKeys(tenant, decrypted);
    const fresh = results.filter((result) => result.status === 'imported');
    if (fresh.length > 0) {
      const byIndex = new Map(decrypted.map((entry) => [entry.index, entry]));
      await this.meterKeys.storeImportedBatch(
        tenant,
        fresh.map((result) => ({ meterId: result.meterId, kind: result.kind, bits: 128, key: byIndex.get(result.index)!.key.wrapped, kcv: result.kcv })),
        'skm.shipment.import',
        requester,
        { shipmentKeys: total, from, count, existing: results.length - fresh.length, kdf: envelope.kdfHash },
      );
    }
    return { total, from, results };
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

  /** Header (block 0) and padding (the last block) must agree with the content's length, or it is no (intact) shipment. */
  private async checkedLayout(cek: WrappedKey, envelope: KeyAgreeEnvelope, total: number): Promise<void> {
    const content = envelope.encryptedContent;
    const last = content.length - BLOCK_BYTES;
    const [header, padding] = await Promise.all([
      this.decryptBlocks(cek, envelope.iv, content.subarray(0, BLOCK_BYTES)),
      this.decryptBlocks(cek, content.subarray(last - BLOCK_BYTES, last), content.subarray(last)),
    ]);
    const tail = unpaddedLength(padding);
    const announced = decodeHeader(header);
    if (tail === undefined) throw shipmentRefused(422, 'envelope', 'shipment.padding', 'the decrypted content has no valid padding (tampered or truncated)');
    if (typeof announced === 'string') throw shipmentRefused(422, 'envelope', 'shipment.header', announced);
    if (announced !== total || tail !== 0) throw shipmentRefused(422, 'envelope', 'shipment.length', `the header announces ${announced} keys but the content has ${last + tail} bytes`);
  }

  /** Blocks that hold no key (header, padding), decrypted. */
  private async decryptBlocks(cek: WrappedKey, iv: Buffer, ciphertext: Buffer): Promise<Buffer> {
    return (await this.keys.aesCbcDecryptKeyBlocks(cek, iv, ciphertext, [], cek.wrappingKeyUri)).plaintext;
  }

  /**
   * Entries first..first+count-1: their meter-id and kind blocks decrypted, their keys taken into the HSM from the
   * ciphertext and returned under the tenant master with the KCV computed there. CBC: the IV of a run of blocks is
   * the ciphertext block before it.
   */
  private async decryptEntries(cek: WrappedKey, envelope: KeyAgreeEnvelope, first: number, count: number, writeUri: string): Promise<DecryptedEntry[]> {
    const content = envelope.encryptedContent;
    const startBlock = 1 + BLOCKS_PER_KEY * first;
    const iv = content.subarray((startBlock - 1) * BLOCK_BYTES, startBlock * BLOCK_BYTES);
    const run = content.subarray(startBlock * BLOCK_BYTES, (startBlock + BLOCKS_PER_KEY * count) * BLOCK_BYTES);
    const keyBlocks = [...Array(count).keys()].map((i) => keyBlockOf(first + i) - startBlock);
    const { plaintext, keys } = await this.keys.aesCbcDecryptKeyBlocks(cek, iv, run, keyBlocks, writeUri);
    return keys.map((key, i) => {
      const at = BLOCKS_PER_KEY * i * BLOCK_BYTES;
      return { index: first + i, header: decodeEntryBlocks(plaintext.subarray(at, at + 2 * BLOCK_BYTES)), key };
    });
  }

  /**
   * Format, KCV and duplicates within the range; then the database, in one query for the range: a key the tenant
   * holds with the same KCV is `existing`, any other key of that meter and kind is `key.exists`. A shipment sent in
   * ranges meets a duplicate across ranges there (the first one is stored by then).
   */
  private async checkKeys(tenant: SkmTenant, decrypted: readonly DecryptedEntry[]): Promise<ShipmentKeyResult[]> {
    const errors: FieldError[] = [];
    const refuse = (index: number, rule: string, message: string) => errors.push({ field: `keys[${index}]`, rule, message });
    const seen = new Map<string, number>();
    const existing = await this.existingRows(decrypted.map((entry) => entry.header));
    const results: ShipmentKeyResult[] = [];
    for (const { index, header: entry, key } of decrypted) {
      if (entry.problem) {
        refuse(index, entry.problem.rule, entry.problem.message);
        continue;
      }
      const id = `${entry.meterId}/${entry.kindCode}`;
      const twin = seen.get(id);
      seen.set(id, index);
      if (twin !== undefined) refuse(index, 'shipment.duplicate', `${entry.meterId} ${entry.kind ?? entry.kindCode} appears twice (also keys[${twin}])`);
      else if (!entry.kind) refuse(index, 'key.kind-unknown', `kind code ${entry.kindCode} is no key kind the SKM knows`);
      else if (key.kcv !== entry.kcv) refuse(index, 'key.check-value-mismatch', `the key check value of ${entry.meterId} ${entry.kind} differs from the shipped one`);
      else {
        const status = heldStatus(tenant, existing.get(heldKey(entry.meterId, entry.kind)) ?? [], entry.kcv);
        if (status === 'exists') refuse(index, 'key.exists', `${entry.meterId} already has another ${entry.kind} key; rotate it instead`);
        else results.push({ index, meterId: entry.meterId, kind: entry.kind, kcv: entry.kcv, status });
      }
    }
    if (errors.length > 0) throw keysRefused(errors);
    return results;
  }

  private existingRows(entries: readonly ShipmentEntryHeader[]): Promise<Map<string, SkmMeterKey[]>> {
    return keyRowsOf(this.dataSource, entries.filter((entry) => !entry.problem).map((entry) => entry.meterId));
  }
}

interface DecryptedEntry {
  index: number;
  header: ShipmentEntryHeader;
  key: KeyBlockResult;
}

/** Keys per HSM call: enough calls for every worker, few enough that the CEK unwrap per call does not matter. */
const KEYS_PER_HSM_CALL = 128;

/** [first, count] pairs covering from..from+count-1. */
function chunkRanges(from: number, count: number, size: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let at = 0; at < count; at += size) ranges.push([from + at, Math.min(size, count - at)]);
  return ranges;
}
