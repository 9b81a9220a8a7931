/**
 * The SKM of bench/skm without HTTP: its framework-free services on a temporary SoftHSM2 token (workers = cores) and a
 * temporary SQLite file or PostgreSQL database, with two tenants and a manufacturer transport key.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AuditTrail } from '../../libs/audit/src/index';
import { Pkcs11KeyManager, type KeyManager } from '../../libs/hsm/src/index';
import { openDatabase, type DatabaseConfig } from '../../libs/persistence/src/index';
import { MeterKeyService, ProviderChangeService, ShipmentImportService, SkmEncryptionIdentity, TenantMasters, TenantService, TransportKeyService, type SkmTenant } from '../../libs/skm/src/index';
import { splitIntoComponents } from '../../test/skm/support/skm-crypto';
import { createTestToken, testHsmConfig, type TestToken } from '../../test/support/softhsm';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import type { DataSource } from 'typeorm';

export interface SkmFixture {
  km: KeyManager;
  token: TestToken;
  dataSource: DataSource;
  dialect: DatabaseConfig['type'];
  masters: TenantMasters;
  meterKeys: MeterKeyService;
  providerChange: ProviderChangeService;
  /** CMS shipments to the SKM's encryption certificate (`identity`). */
  shipments: ShipmentImportService;
  identity: SkmEncryptionIdentity;
  giving: SkmTenant;
  receiving: SkmTenant;
  /** The manufacturer transport key (clear, bench side only: the manufacturer wraps its shipments with it). */
  transportKey: Buffer;
  close(): Promise<void>;
}

export async function openSkmFixture(options: { dir: string; workers: number; postgres: boolean }): Promise<SkmFixture> {
  const token = createTestToken('smpki-bench-skm', '1234', '123456');
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: options.workers, callTimeoutMs: 60_000 }));
  let postgres: TestDatabase | undefined;
  let config: DatabaseConfig = { type: 'better-sqlite3', path: join(options.dir, 'skm.sqlite') };
  if (options.postgres) {
    postgres = await createTestDatabase('smpki_bench_skm');
    config = { type: 'postgres', url: postgres.url, poolSize: 8 };
  }
  const dataSource = await openDatabase(config);
  const audit = new AuditTrail(dataSource, { service: 'skm' });
  const names = { token: token.label };
  const tenants = new TenantService(dataSource, km, audit, names);
  const transportKeys = new TransportKeyService(dataSource, km, audit, names);
  const masters = new TenantMasters(dataSource, km, names);
  const giving = await tenants.create({ name: 'MSB giving', marketPartnerId: '9900000000019', masterBits: 256 }, 'bench');
  const receiving = await tenants.create({ name: 'MSB receiving', marketPartnerId: '9900000000026', masterBits: 256 }, 'bench');
  const transportKey = randomBytes(16);
  await transportKeys.create(giving, { name: 'mfr', counterparty: 'manufacturer', bits: 128, components: splitIntoComponents(transportKey) }, 'bench');
  const meterKeys = new MeterKeyService(dataSource, km, audit, masters, transportKeys);
  const identity = new SkmEncryptionIdentity(km, token.label);
  return {
    km,
    token,
    dataSource,
    dialect: config.type,
    masters,
    meterKeys,
    providerChange: new ProviderChangeService(dataSource, km, audit, masters),
    shipments: new ShipmentImportService(dataSource, km, masters, meterKeys, identity),
    identity,
    giving,
    receiving,
    transportKey,
    close: async () => {
      await dataSource.destroy();
      await postgres?.drop();
      await km.close();
      token.remove();
    },
  };
}
