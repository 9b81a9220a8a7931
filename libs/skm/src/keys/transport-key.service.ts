/**
 * Transport keys agreed with a tenant's counterparties (manufacturers shipping keys, head-end systems receiving
 * them): non-extractable AES keys in the token, either generated there (and then handed over by the HSM's own
 * means) or entered from key components in a split-knowledge ceremony. Meter keys cross them only wrapped.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { isUniqueViolation } from '@smpki/ca';
import type { AesKeyBits, KeyManager } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { SkmTransportKey, type SkmTenant, type TransportKeyCounterparty } from '../entities';
import { keyCheckValue } from './key-check-value';
import { combineComponents } from './key-components';
import { transportKeyUri, type SkmKeyNames } from './skm-key-names';
import { checkValueMismatch, transportKeyTaken, unknownTransportKey } from './skm-problems';

export interface NewTransportKey {
  /** Lowercase letters, digits and `-`. */
  name: string;
  counterparty: TransportKeyCounterparty;
  bits: AesKeyBits;
  /** Hex components whose XOR is the key; absent: the key is generated in the HSM. */
  components?: readonly string[];
  /** Expected KCV of the combined key (uppercase or lowercase hex, 6 digits), checked before it is stored. */
  kcv?: string;
}

// encrypt: the key check value is AES-ECB of a zero block. The SKM offers no other encryption with a transport key.
const TRANSPORT_KEY_USAGES = ['wrap', 'unwrap', 'encrypt'] as const;

export class TransportKeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
    private readonly names: SkmKeyNames,
  ) {}

  /** 409 when the tenant already has the name; 422 `key.check-value-mismatch` when the components give another KCV. */
  async create(tenant: SkmTenant, input: NewTransportKey, requester: string): Promise<SkmTransportKey> {
    if (await this.dataSource.getRepository(SkmTransportKey).exists({ where: { tenantId: tenant.id, name: input.name } })) throw transportKeyTaken(input.name);
    const uri = transportKeyUri(this.names, tenant, input.name);
    await this.createInToken(uri, input);
    const kcv = await keyCheckValue(this.keys, uri);
    if (input.kcv !== undefined && input.kcv.toUpperCase() !== kcv) {
      await this.keys.destroyKey(uri);
      throw checkValueMismatch('kcv');
    }
    const row = Object.assign(new SkmTransportKey(), {
      id: randomUUID(),
      tenantId: tenant.id,
      name: input.name,
      counterparty: input.counterparty,
      keyUri: uri,
      bits: input.bits,
      kcv,
      origin: input.components ? ('components' as const) : ('generated' as const),
      createdAt: new Date(),
    });
    try {
      await runInTransaction(this.dataSource, async (manager) => {
        await manager.insert(SkmTransportKey, row);
        await this.audit.append(
          { action: 'skm.transport-key.create', outcome: 'success', actor: requester, target: `skm-tenant/${tenant.id}/transport-key/${row.name}`, details: { counterparty: row.counterparty, keyUri: uri, bits: row.bits, kcv, origin: row.origin } },
          manager,
        );
      });
    } catch (error) {
      await this.keys.destroyKey(uri).catch(() => undefined);
      if (isUniqueViolation(error)) throw transportKeyTaken(input.name);
      throw error;
    }
    return row;
  }

  list(tenant: SkmTenant): Promise<SkmTransportKey[]> {
    return this.dataSource.getRepository(SkmTransportKey).find({ where: { tenantId: tenant.id }, order: { name: 'ASC' } });
  }

  /** One of the tenant's transport keys; 404 `transport-key.unknown` (also for another tenant's name). */
  async get(tenant: SkmTenant, name: string, field = 'transportKey'): Promise<SkmTransportKey> {
    const row = await this.dataSource.getRepository(SkmTransportKey).findOne({ where: { tenantId: tenant.id, name } });
    if (!row) throw unknownTransportKey(name, field);
    return row;
  }

  private async createInToken(uri: string, input: NewTransportKey): Promise<void> {
    const options = { bits: input.bits, usages: [...TRANSPORT_KEY_USAGES], wrappable: false };
    if (!input.components) {
      await this.keys.createAesKey(uri, options);
      return;
    }
    const value = combineComponents(input.components, input.bits);
    try {
      await this.keys.importAesKey(uri, value, options);
    } finally {
      value.fill(0);
    }
  }
}
