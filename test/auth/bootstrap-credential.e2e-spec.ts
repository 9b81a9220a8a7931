/**
 * The first administrator's way in: the credential is created once and printed once, exchanged once for an
 * administrator token, never twice, not even by two concurrent requests. On SQLite (the embedded start) and on
 * PostgreSQL, each with a schema built by `synchronize` in this test only.
 */
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthModule, BootstrapCredential, BootstrapCredentialService, type BootstrapCredentialStatus } from '@smpki/auth';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { dataSourceOptions, initializeDataSource, type DatabaseConfig } from '@smpki/persistence';
import { DataSource, IsNull, Not, type DataSourceOptions } from 'typeorm';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres';
import type { Signer } from '@smpki/hsm';
import { authOptions, createAuthTestApp, createTokenSigner, RecordingEventSink, type AuthTestApp } from './auth-test-app';

function secretOf(status: BootstrapCredentialStatus): string {
  if (status.state !== 'created') throw new Error(`expected a new credential, got ${status.state}`);
  return status.secret;
}

interface Backend {
  name: string;
  /** A fresh database; `connect()` opens one more DataSource on it (another process, as far as the database knows). */
  open(): Promise<{ connect(): Promise<DataSource>; cleanup(): Promise<void> }>;
}

/**
 * The platform's connection settings (SQLite: WAL, BEGIN IMMEDIATE) and dialect column types, with only this
 * library's entity and a schema from `synchronize` (tests only; the platform's schema comes from migrations).
 */
function connector(config: DatabaseConfig): () => Promise<DataSource> {
  return () => initializeDataSource(new DataSource({ ...dataSourceOptions(config), entities: [BootstrapCredential], migrations: [], synchronize: true } as DataSourceOptions));
}

const sqlite: Backend = {
  name: 'SQLite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-bootstrap-'));
    return { connect: connector({ type: 'better-sqlite3', path: join(dir, 'auth.db') }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    const database: TestDatabase = await createTestDatabase('smpki_auth');
    return { connect: connector({ type: 'postgres', url: database.url }), cleanup: () => database.drop() };
  },
};

describe.each([sqlite, postgres])('bootstrap credential on $name', (backend) => {
  let signer: Signer;
  let available = true;
  let cleanup: () => Promise<void>;
  let dataSource: DataSource;
  let ctx: AuthTestApp;
  let app: INestApplication;
  let service: BootstrapCredentialService;

  beforeAll(async () => {
    if (backend === postgres) available = await postgresAvailable();
    if (!available) return;
    signer = await createTokenSigner('token-signer');
    const opened = await backend.open();
    cleanup = opened.cleanup;
    dataSource = await opened.connect();
    ctx = await createAuthTestApp({ signer, dataSource });
    app = ctx.app;
    service = app.get(BootstrapCredentialService);
  });

  afterAll(async () => {
    if (!available) return;
    await app.close();
    await dataSource.destroy();
    await cleanup();
  });

  const exchange = (secret: unknown): request.Test => request(app.getHttpServer()).post('/v1/auth/bootstrap').send({ secret });

  it('is created once, stored only as a hash, and not shown again', async () => {
    if (!available) return console.warn('PostgreSQL not reachable: skipped outside CI');
    const secret = secretOf(await service.ensureBootstrapCredential());
    const again = await service.ensureBootstrapCredential();
    expect(again).toMatchObject({ state: 'pending' });
    expect(again).not.toHaveProperty('secret');
    const [row] = await dataSource.getRepository(BootstrapCredential).find();
    expect(row!.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret.slice('smpki-bootstrap-'.length));
  });

  it('refuses a wrong secret with a 401 problem and reports it', async () => {
    if (!available) return;
    const response = await exchange('smpki-bootstrap-wrong');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:smpki:problem:unauthenticated', reason: 'invalid-bootstrap-credential' });
    expect(ctx.sink.events.at(-1)).toMatchObject({ action: 'auth.bootstrap.exchange', outcome: 'failure' });
  });

  it('answers a request without a secret with a 400 validation problem', async () => {
    if (!available) return;
    const response = await request(app.getHttpServer()).post('/v1/auth/bootstrap').send({});
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'urn:smpki:problem:validation-failed', errors: [{ field: 'secret' }] });
  });

  it('gives an administrator token exactly once', async () => {
    if (!available) return;
    const secret = secretOf(await service.renewBootstrapCredential());
    const first = await exchange(secret).expect(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    const admin = await request(app.getHttpServer()).get('/probe/admin').set('Authorization', `Bearer ${first.body.access_token}`).expect(200);
    expect(admin.body.subject).toMatch(/^bootstrap:[0-9a-f-]{36}$/);
    expect(ctx.sink.ofAction('auth.bootstrap.exchange').at(-1)).toMatchObject({ outcome: 'success', actor: admin.body.subject, inTransaction: true, details: { roles: ['administrator'] } });

    const second = await exchange(secret);
    expect(second.status).toBe(401);
    expect(second.body.reason).toBe('invalid-bootstrap-credential');
    const consumed = await dataSource.getRepository(BootstrapCredential).find({ where: { consumedAt: Not(IsNull()) } });
    expect(consumed).toHaveLength(1);
    expect(consumed[0]!.consumedBy).toMatch(/127\.0\.0\.1$/);
  });

  it('creates no new credential once an administrator has logged in, and renews none', async () => {
    if (!available) return;
    await expect(service.ensureBootstrapCredential()).resolves.toEqual({ state: 'administrator-exists' });
    await expect(service.renewBootstrapCredential()).resolves.toEqual({ state: 'administrator-exists' });
  });
});

describe.each([sqlite, postgres])('concurrent bootstrap exchanges on $name', (backend) => {
  let signer: Signer;
  beforeAll(async () => {
    signer = await createTokenSigner('token-signer');
  });

  it('yield exactly one token, whether from one service or from two sharing the database', async () => {
    if (backend === postgres && !(await postgresAvailable())) return console.warn('PostgreSQL not reachable: skipped outside CI');
    const { connect, cleanup } = await backend.open();
    // Two instances of the service, each with its own DataSource: like two processes sharing the database.
    const instances = 2;
    const dataSources: DataSource[] = [];
    const apps: AuthTestApp[] = [];
    try {
      for (let index = 0; index < instances; index++) {
        // One after the other: concurrent `synchronize` would race creating the table.
        dataSources.push(await connect());
        apps.push(await createAuthTestApp({ signer, dataSource: dataSources[index]! }));
      }
      const secret = secretOf(await apps[0]!.app.get(BootstrapCredentialService).ensureBootstrapCredential());
      // Three at each instance: within an instance and across instances at once.
      const attempts = Array.from({ length: 6 }, (_, index) =>
        request(apps[index % instances]!.app.getHttpServer()).post('/v1/auth/bootstrap').send({ secret }),
      );
      const statuses = (await Promise.all(attempts)).map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    } finally {
      for (const { app } of apps) await app.close();
      for (const dataSource of dataSources) await dataSource.destroy();
      await cleanup();
    }
  });

  it('leave the credential unused when the login cannot be recorded', async () => {
    if (backend === postgres && !(await postgresAvailable())) return;
    const { connect, cleanup } = await backend.open();
    const dataSource = await connect();
    const sink = new RecordingEventSink();
    const moduleRef = await Test.createTestingModule({ imports: [AuthModule.forRoot(authOptions({ signer, dataSource }, sink))] }).compile();
    const service = moduleRef.get(BootstrapCredentialService);
    try {
      const secret = secretOf(await service.ensureBootstrapCredential());
      sink.failWith = new Error('audit trail unavailable');
      await expect(service.exchange(secret, 'test')).rejects.toThrow('audit trail unavailable');
      sink.failWith = undefined;
      await expect(service.exchange(secret, 'test')).resolves.toMatchObject({ expiresIn: 300 });
    } finally {
      await moduleRef.close();
      await dataSource.destroy();
      await cleanup();
    }
  });
});
