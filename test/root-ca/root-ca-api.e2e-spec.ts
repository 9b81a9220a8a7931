/**
 * The root-ca service's API: RootCaModule as runService builds it, on SoftHSM2 and SQLite, with a bearer token
 * signed by the platform token key. POST /v1/ceremonies runs a ceremony; POST /v1/sub-cas certifies a sub-CA (PKCS#10
 * or SM-PKI CRMF) that openssl verifies; POST /v1/rollovers, /v1/roots/{root}/crl and .../revocation roll over,
 * sign CRLs and revoke; bad input is a problem document naming the rule; a caller without the command is refused.
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
import { subCaCrmfRequest } from './support/crmf-request';

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
  it('CRMF sub-CA request, rollover of an indirect-CRL root, revocation and CRLs over the API; openssl accepts every file', async () => {
    const auth = { Authorization: `Bearer ${operator}` };
    const signerSubject = [{ type: 'CN', value: 'SM-Test-Api-Root.CRL-S' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }];
    const ceremony = await http().post('/v1/ceremonies').set(auth).send({
      ceremony: ceremonyFile(hsm.uri('api-root-1'), {
        name: 'api-root-1',
        subject: [{ type: 'CN', value: 'SM-Test-Api-Root.CA' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }],
        crl: { http: 'http://crl.test.invalid/api-root.crl', validityHours: 720, signer: { keyUri: hsm.uri('api-root-1-crl'), subject: signerSubject } },
      }),
    }).expect(201);
    workspace.write('api-root1.pem', ceremony.body.certificate);
    workspace.write('api-crl-signer1.pem', ceremony.body.crlSigner);

    // CRMF: base64 of the DER, like a PKCS#10 request.
    const crmf = await http().post('/v1/sub-cas').set(auth).send({ root: 'api-root-1', request: (await subCaCrmfRequest()).toString('base64') }).expect(201);
    expect(crmf.body).toMatchObject({ root: 'api-root-1', profile: 'sm-sub-ca', status: 'good' });
    workspace.write('api-crmf-sub.pem', crmf.body.certificate);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'api-root1.pem', 'api-crmf-sub.pem']).output).toContain('api-crmf-sub.pem: OK');

    const tampered = await http().post('/v1/sub-cas').set(auth).send({ root: 'api-root-1', request: (await subCaCrmfRequest({ tamperPop: true })).toString('base64') }).expect(400);
    expect(tampered.headers['content-type']).toContain('application/problem+json');
    expect(tampered.body.errors[0]).toMatchObject({ field: 'request', rule: 'crmf.pop-invalid' });
    const wrongCurve = await http().post('/v1/sub-cas').set(auth).send({ root: 'api-root-1', request: (await subCaCrmfRequest({ curve: 'secp256k1' })).toString('base64') }).expect(400);
    expect(wrongCurve.body.errors[0].rule).toBe('key.curve-not-allowed');
    const audit = await http().get('/v1/audit/events?afterSeq=0&limit=1000').set({ Authorization: `Bearer ${reader}` }).expect(200);
    const refused = audit.body.events.filter((event: { action: string }) => event.action === 'request.refused').map((event: unknown) => JSON.stringify(event));
    expect(refused.some((event: string) => event.includes('crmf.pop-invalid'))).toBe(true);
    expect(refused.some((event: string) => event.includes('key.curve-not-allowed'))).toBe(true);

    // Rollover: new root, link certificates and, because generation 1 has one, a new CRL signer.
    await http().post('/v1/rollovers').set({ Authorization: `Bearer ${reader}` }).send({ from: 'api-root-1', name: 'api-root-2', keyUri: hsm.uri('api-root-2') }).expect(403);
    const badRollover = await http().post('/v1/rollovers').set(auth).send({ from: 'api-root-1', name: 'api-root-2', keyUri: 'file:///root.key' }).expect(400);
    expect(badRollover.body.errors[0].field).toBe('keyUri');
    const rollover = await http().post('/v1/rollovers').set(auth).send({ from: 'api-root-1', name: 'api-root-2', keyUri: hsm.uri('api-root-2') }).expect(201);
    expect(rollover.body.transcript.transcript).toMatchObject({ kind: 'root-ca.rollover', operator: 'officer-1', previousRoot: 'api-root-1' });
    workspace.write('api-root2.pem', rollover.body.certificate);
    workspace.write('api-new-with-old.pem', rollover.body.newWithOld);
    workspace.write('api-crl-signer2.pem', rollover.body.crlSigner);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'api-root2.pem', 'api-crl-signer2.pem']).output).toContain('api-crl-signer2.pem: OK');

    const sub2 = await http().post('/v1/sub-cas').set(auth).send({ root: 'api-root-2', request: (await subCaCrmfRequest()).toString('base64') }).expect(201);
    workspace.write('api-sub2.pem', sub2.body.certificate);
    const revoked = await http().post(`/v1/roots/api-root-2/certificates/${sub2.body.serial}/revocation`).set(auth).send({ reason: 'cACompromise' }).expect(200);
    expect(revoked.body).toMatchObject({ serial: sub2.body.serial, status: 'revoked' });
    const twice = await http().post(`/v1/roots/api-root-2/certificates/${sub2.body.serial}/revocation`).set(auth).send({ reason: 'cACompromise' }).expect(409);
    expect(twice.body.errors[0].rule).toBe('certificate.already-revoked');
    const badReason = await http().post(`/v1/roots/api-root-2/certificates/${sub2.body.serial}/revocation`).set(auth).send({ reason: 'because' }).expect(400);
    expect(badReason.body.errors[0].field).toBe('reason');
    await http().post(`/v1/roots/api-root-2/certificates/${crmf.body.serial}/revocation`).set({ Authorization: `Bearer ${reader}` }).send({ reason: 'cACompromise' }).expect(403);

    const crl2 = await http().post('/v1/roots/api-root-2/crl').set(auth).expect(201);
    expect(crl2.body).toMatchObject({ root: 'api-root-2', crlNumber: 1 });
    workspace.write('api-crl2.pem', crl2.body.crl);
    expect(workspace.run(['crl', '-in', 'api-crl2.pem', '-CAfile', 'api-crl-signer2.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-extended_crl', '-CAfile', 'api-root2.pem', '-untrusted', 'api-crl-signer2.pem', '-CRLfile', 'api-crl2.pem', 'api-sub2.pem']).output).toContain('certificate revoked');

    // Generation 1 keeps its signer: its CRL verifies and its good sub-CA passes the check.
    const crl1 = await http().post('/v1/roots/api-root-1/crl').set(auth).expect(201);
    workspace.write('api-crl1.pem', crl1.body.crl);
    expect(workspace.run(['crl', '-in', 'api-crl1.pem', '-CAfile', 'api-crl-signer1.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-extended_crl', '-CAfile', 'api-root1.pem', '-untrusted', 'api-crl-signer1.pem', '-CRLfile', 'api-crl1.pem', 'api-crmf-sub.pem']).output).toContain('api-crmf-sub.pem: OK');

    const unknown = await http().post('/v1/roots/no-such-root/crl').set(auth).expect(404);
    expect(unknown.body.errors[0].rule).toBe('rootca.unknown');
    await http().post('/v1/roots/Bad_Name/crl').set(auth).expect(400);
  });
});
