/**
 * How services wire the module: forRootAsync (options from the HSM and the database once they are open) mounts the
 * bootstrap endpoint on request; a verify-only service has no bootstrap endpoint and cannot issue tokens.
 */
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { AuthModule, BootstrapCredential, BootstrapCredentialService, TokenService } from '@smpki/auth';
import { JsonLogger, ProblemDetailsFilter } from '@smpki/platform';
import { dataSourceOptions, initializeDataSource } from '@smpki/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Signer } from '@smpki/hsm';
import { authOptions, createTokenSigner, ProbeController, RecordingEventSink } from './auth-test-app';

const SIGNER = Symbol('SIGNER');
const DATABASE = Symbol('DATABASE');

async function sqliteDatabase(dir: string): Promise<DataSource> {
  const options = { ...dataSourceOptions({ type: 'better-sqlite3', path: join(dir, 'auth.db') }), entities: [BootstrapCredential], migrations: [], synchronize: true };
  return initializeDataSource(new DataSource(options as DataSourceOptions));
}

const filter = [
  { provide: JsonLogger, useValue: new JsonLogger({ service: 'smpki-auth-test', level: 'fatal' }) },
  { provide: APP_FILTER, useClass: ProblemDetailsFilter },
];

describe('AuthModule wiring', () => {
  it('forRootAsync builds the options from injected resources and mounts the bootstrap endpoint', async () => {
    const signer = await createTokenSigner('token-signer');
    const dir = mkdtempSync(join(tmpdir(), 'smpki-auth-module-'));
    const dataSource = await sqliteDatabase(dir);
    @Module({ providers: [{ provide: SIGNER, useValue: signer }, { provide: DATABASE, useValue: dataSource }], exports: [SIGNER, DATABASE] })
    class ResourcesModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        AuthModule.forRootAsync({
          imports: [ResourcesModule],
          inject: [SIGNER, DATABASE],
          useFactory: (tokenSigner: Signer, db: DataSource) => authOptions({ signer: tokenSigner, dataSource: db }, new RecordingEventSink()),
          bootstrapEndpoint: true,
        }),
      ],
      controllers: [ProbeController],
      providers: filter,
    }).compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      const status = await app.get(BootstrapCredentialService).ensureBootstrapCredential();
      if (status.state !== 'created') throw new Error(status.state);
      const { body } = await request(app.getHttpServer()).post('/v1/auth/bootstrap').send({ secret: status.secret }).expect(200);
      await request(app.getHttpServer()).get('/probe/admin').set('Authorization', `Bearer ${body.access_token}`).expect(200);
    } finally {
      await app.close();
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start a bootstrap endpoint without a signer and a database', async () => {
    const { spki } = (await createTokenSigner('elsewhere')).publicKey;
    const builder = Test.createTestingModule({
      imports: [AuthModule.forRootAsync({ useFactory: () => authOptions({ verificationKeys: [spki] }, new RecordingEventSink()), bootstrapEndpoint: true })],
    });
    await expect(builder.compile()).rejects.toThrow('auth: the bootstrap endpoint needs a tokenSigner and a dataSource');
  });

  it('gives a verify-only service the guard and JWKS but no bootstrap endpoint and no token issuing', async () => {
    const issuer = await createTokenSigner('issuer');
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(authOptions({ verificationKeys: [issuer.publicKey.spki] }, new RecordingEventSink()))],
      controllers: [ProbeController],
      providers: filter,
    }).compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      const tokens = app.get(TokenService);
      expect(tokens.canIssue).toBe(false);
      await expect(tokens.issue({ subject: 'x', roles: [] })).rejects.toThrow('this service has no token signer; it verifies tokens only');
      await request(app.getHttpServer()).post('/v1/auth/bootstrap').send({ secret: 'x' }).expect(404);
      const jwks = await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200);
      expect(jwks.body.keys).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
