/**
 * The root-ca service's API: RootCaModule as runService builds it, on SoftHSM2 and SQLite, with a bearer token
 * signed by the platform token key. POST /v1/ceremonies runs a ceremony; POST /v1/sub-cas certifies a sub-CA that
 * openssl verifies; bad input is a problem document naming the rule; a caller without the command is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthSettings, TokenService } from '@smpki/auth';
import { configureServiceApp, loadServiceConfig, serviceLogger } from '@smpki/platform';
import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import request from 'supertest';
import { RootCaModule } from '../../apps/root-ca/src/root-ca.module';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';
import { OpensslWorkspace } from '../crypto/support/openssl';
import { opensslRequest } from '../ca/support/ca-test-pki';
import { ceremonyFile } from './support/ceremony-file';

describe('root-ca API', () => {
  jest.setTimeout(60_000);
  let hsm: TestKeyManager;
  let workspace: OpensslWorkspace;
  let app: INestApplication;
  let dataDir: string;
  let operator: string;
  let reader: string;

  beforeAll(async () => {
    hsm = await openTestKeyManager();
    workspace = new OpensslWorkspace();
    dataDir = mkdtempSync(join(tmpdir(), 'smpki-root-ca-'));
    const tokenKeyUri = hsm.uri('auth-token');
    await hsm.km.createEcKeyPair(tokenKeyUri, 'P-256', { usages: ['sign'] });
    await hsm.km.createEcKeyPair(hsm.uri('audit-checkpoint'), 'brainpoolP256r1', { usages: ['sign'] });
    const config = loadServiceConfig('root-ca', {
      SMPKI_DATA_DIR: dataDir,
      SMPKI_LOG_LEVEL: 'warn',
      SMPKI_HSM_MODULE: hsm.token.modulePath,
      SMPKI_HSM_TOKEN: hsm.token.label,
      SMPKI_HSM_PIN: hsm.token.userPin,
      SMPKI_HSM_WORKERS: '1',
      SMPKI_AUTH_TOKEN_KEY: tokenKeyUri,
      SMPKI_AUDIT_CHECKPOINT_KEY: hsm.uri('audit-checkpoint'),
    });
    config.hsm!.moduleEnvironment = { SOFTHSM2_CONF: hsm.token.configPath };
    const moduleRef = await Test.createTestingModule({ imports: [RootCaModule.forRoot(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: serviceLogger(config, () => undefined) });
    configureServiceApp(app, config);
    await app.init();
    // Tokens as the platform's token issuer (the sub-CA) signs them, with the same HSM key.
    const tokens = new TokenService(
      new AuthSettings({
        issuer: 'smpki',
        audience: 'smpki',
        tokenTtlSeconds: 900,
        tokenSigner: await hsm.km.createSigner(tokenKeyUri),
        verificationKeys: [],
        accessRules: DEFAULT_ACCESS_RULES,
        eventSink: { record: () => undefined },
      }),
    );
    operator = (await tokens.issue({ subject: 'officer-1', roles: ['ca-operator'] })).accessToken;
    reader = (await tokens.issue({ subject: 'auditor-1', roles: ['auditor'] })).accessToken;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await hsm?.dispose();
    workspace?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const http = () => request(app.getHttpServer());

  it('runs a ceremony and certifies a sub-CA that openssl verifies; refusals name their rule', async () => {
    const ceremony = await http().post('/v1/ceremonies').set({ Authorization: `Bearer ${operator}` }).send({ ceremony: ceremonyFile(hsm.uri('root-1')) }).expect(201);
    expect(ceremony.body.transcript.transcript.operator).toBe('officer-1');
    workspace.write('root.pem', ceremony.body.certificate);

    const again = await http().post('/v1/ceremonies').set({ Authorization: `Bearer ${operator}` }).send({ ceremony: ceremonyFile(hsm.uri('root-1'), { name: 'other' }) }).expect(409);
    expect(again.body.errors[0].rule).toBe('ceremony.key-exists');

    const csr = opensslRequest(workspace, 'sub', { subject: '/CN=Test-Metering.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] }).toString('base64');
    const sub = await http().post('/v1/sub-cas').set({ Authorization: `Bearer ${operator}` }).send({ root: 'test-root-1', request: csr }).expect(201);
    expect(sub.body.profile).toBe('sm-sub-ca');
    expect(sub.body.chain).toEqual([ceremony.body.certificate]);
    workspace.write('sub.pem', sub.body.certificate);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', 'sub.pem']).output).toContain('sub.pem: OK');

    const bad = await http().post('/v1/sub-cas').set({ Authorization: `Bearer ${operator}` }).send({ root: 'test-root-1', request: 'MAMCAQE=' }).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors[0].rule).toBe('der.malformed');

    await http().post('/v1/sub-cas').set({ Authorization: `Bearer ${reader}` }).send({ root: 'test-root-1', request: csr }).expect(403);
    await http().post('/v1/ceremonies').send({ ceremony: ceremonyFile(hsm.uri('root-9')) }).expect(401);
  });
});
