import { Module } from '@nestjs/common';
import { Pkcs11KeyManager } from '@smpki/hsm';
import { DATA_SOURCE, databaseReadinessCheck, KEY_MANAGER, keyManagerReadinessCheck } from '@smpki/platform';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { testHsmConfig } from '../hsm/support/test-key-manager';
import { createTestToken, type TestToken } from '../support/softhsm';
import { startTestService, type TestService } from './support/test-service';

/**
 * The platform's standard readiness checks and resource shutdown against the real things: a SoftHSM2 token behind
 * @smpki/hsm's key manager and a TypeORM better-sqlite3 data source, bound the way the lead wires services.
 */
describe('readiness of the database and the HSM', () => {
  let token: TestToken;
  let keyManager: Pkcs11KeyManager;
  let dataSource: DataSource;
  let service: TestService;

  @Module({
    providers: [
      { provide: DATA_SOURCE, useFactory: () => dataSource },
      { provide: KEY_MANAGER, useFactory: () => keyManager },
      databaseReadinessCheck(),
      keyManagerReadinessCheck(),
    ],
    exports: [DATA_SOURCE, KEY_MANAGER],
  })
  class ResourcesModule {}

  beforeAll(async () => {
    token = createTestToken('platform-ready');
    keyManager = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1 }));
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    service = await startTestService({ imports: [ResourcesModule] });
  });

  afterAll(async () => {
    await service?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await keyManager?.close().catch(() => undefined);
    token?.remove();
  });

  it('is ready when SELECT 1 and the token answer', async () => {
    const res = await request(service.app.getHttpServer()).get('/readyz').expect(200);
    expect(res.body.checks.map((check: { name: string; status: string }) => [check.name, check.status])).toEqual([
      ['database', 'ok'],
      ['hsm', 'ok'],
    ]);
  });

  it('is not ready, naming the database, when the database is gone', async () => {
    await dataSource.destroy();
    try {
      const res = await request(service.app.getHttpServer()).get('/readyz').expect(503);
      expect(res.body.failedChecks).toEqual(['database']);
      expect(res.body.detail).toBe('Not ready: database (failed)');
    } finally {
      await dataSource.initialize();
    }
  });

  it('closes the database and the key manager when the application shuts down', async () => {
    await service.app.close();
    expect(dataSource.isInitialized).toBe(false);
    expect((await keyManager.health()).ok).toBe(false);
    const closed = service.logs().filter((line) => line.msg === 'closed').map((line) => line.resource);
    expect(closed).toEqual(['database', 'hsm']);
  });
});
