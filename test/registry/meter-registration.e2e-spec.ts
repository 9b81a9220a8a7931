/**
 * Meter registration end to end over mutual TLS: the real SubCaModule on HTTPS with the CA keys and token key in
 * SoftHSM2. An administrator (bearer token) onboards two manufacturers and issues each its TLS client certificate
 * from a CSR; a manufacturer registers a batch of openssl-made meter keys with that certificate; OpenSSL verifies
 * every meter certificate against the chain the API hands out; the repeated batch issues nothing; the other
 * manufacturer neither sees nor registers the first one's meters.
 */
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { TokenService } from '@smpki/auth';
import { CaCertificate, PublicationOutbox } from '@smpki/ca';
import { DATA_SOURCE } from '@smpki/platform';
import { lintCertificate } from '@smpki/policy';
import { Meter } from '@smpki/registry';
import type { DataSource } from 'typeorm';
import { TlsFixtures, type Credential } from '../auth/tls-fixtures';
import { createCaTestPki, opensslRequest, type CaTestPki } from '../ca/support/ca-test-pki';
import { httpsJson, type HttpsClient } from './support/https-json';
import { meterIds, meterRequest } from './support/meter-requests';
import { startTlsSubCa, type RunningTlsSubCa } from './support/start-tls-sub-ca';

const BATCH = 40;

describe('meter registration over mutual TLS', () => {
  jest.setTimeout(60_000);
  const fixtures = new TlsFixtures();
  let pki: CaTestPki;
  let service: RunningTlsSubCa;
  let dataSource: DataSource;
  let serverCa: Credential;
  let admin: HttpsClient;
  let emh: HttpsClient;
  let abc: HttpsClient;
  const previousCaConfig = process.env.SMPKI_CA_CONFIG;

  const call = (client: HttpsClient, method: string, path: string, body?: unknown) => httpsJson(service.port, method, path, client, body);

  /** Onboards a manufacturer and returns the mutual-TLS client with the credential the platform issued it. */
  async function onboard(name: string, gln: string, flagId: string): Promise<HttpsClient> {
    const created = await call(admin, 'POST', '/v1/manufacturers', { name, gln, flagId });
    expect(created.status).toBe(201);
    const csr = opensslRequest(pki.workspace, `${flagId}-tls`);
    const credential = await call(admin, 'POST', `/v1/manufacturers/${created.body.id}/credentials`, { request: csr.toString('base64') });
    expect(credential.status).toBe(201);
    expect(credential.body.chain).toEqual([pki.sub.pem, pki.root.pem]);
    return { ca: serverCa.cert, cert: credential.body.certificate, key: readFileSync(join(pki.workspace.dir, `${flagId}-tls.key`)) };
  }

  beforeAll(async () => {
    pki = await createCaTestPki();
    await pki.hsm.km.createEcKeyPair(pki.hsm.uri('auth-token'), 'P-256');
    process.env.SMPKI_CA_CONFIG = join(pki.workspace.dir, 'cas.json');
    serverCa = fixtures.ca('server-ca', '/C=DE/O=smpki test/CN=smpki server CA');
    const server = fixtures.server('server', 'server-ca');
    // Client certificates are the platform's own: the market CA and its root are the client CAs.
    const clientCaFile = join(pki.workspace.dir, 'client-cas.pem');
    writeFileSync(clientCaFile, pki.sub.pem + pki.root.pem);
    service = await startTlsSubCa(pki, pki.hsm.uri('auth-token'), { certFile: server.certFile, keyFile: server.keyFile, clientCaFile });
    dataSource = service.app.get(DATA_SOURCE);
    const token = (await service.app.get(TokenService).issue({ subject: 'admin-1', roles: ['administrator'] })).accessToken;
    admin = { ca: serverCa.cert, token };
    emh = await onboard('EMH metering', '4012345000016', 'EMH');
    abc = await onboard('ABC meters', '4012345000023', 'ABC');
  }, 120_000);
  afterAll(async () => {
    if (previousCaConfig === undefined) delete process.env.SMPKI_CA_CONFIG;
    else process.env.SMPKI_CA_CONFIG = previousCaConfig;
    await service?.close();
    await pki?.dispose();
    fixtures.remove();
  });

  const ids = meterIds('EMH', 1, BATCH);
  // Made once: the repeated batch carries the very same requests (keys).
  let body: { items: object[] } | undefined;
  const batch = () => (body ??= { items: ids.map((meterId) => ({ meterId, type: 'electricity', model: 'eHZ-B', calibrationStation: 'line-7', request: meterRequest(pki.workspace, `e2e-${meterId}`) })) });
  let firstAnswer: any;

  it('registers a batch with the manufacturer credential; openssl verifies every certificate against the chain handed out', async () => {
    const answer = await call(emh, 'POST', '/v1/meters/batch', batch());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ issued: BATCH, existing: 0, refused: 0, failed: 0 });
    const [calibrationPem, rootPem] = answer.body.chain as string[];
    pki.workspace.write('e2e-root.pem', rootPem!);
    pki.workspace.write('e2e-calibration.pem', calibrationPem!);
    const files = (answer.body.items as any[]).map((item, index) => {
      expect(item).toMatchObject({ index, meterId: ids[index], status: 'issued' });
      pki.workspace.write(`e2e-meter-${index}.pem`, item.certificate.certificate);
      return `e2e-meter-${index}.pem`;
    });
    const verified = pki.workspace.run(['verify', '-x509_strict', '-CAfile', 'e2e-root.pem', '-untrusted', 'e2e-calibration.pem', ...files]).output.trim().split('\n');
    expect(verified).toEqual(files.map((file) => `${file}: OK`));
    const calibrationDer = Buffer.from(calibrationPem!.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const meterDer = Buffer.from((answer.body.items[0].certificate.certificate as string).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(lintCertificate(meterDer, { profile: 'meter-calibration', issuer: calibrationDer }).findings).toEqual([]);
    const serials = (answer.body.items as any[]).map((item) => item.certificate.serial as string);
    expect(await dataSource.getRepository(PublicationOutbox).count({ where: serials.map((serial) => ({ serial, ca: 'calibration' })) })).toBe(BATCH);
    firstAnswer = answer.body;
  });

  it('answers the repeated batch with the same certificates, all existing, issuing nothing', async () => {
    const certificates = await dataSource.getRepository(CaCertificate).count();
    const answer = await call(emh, 'POST', '/v1/meters/batch', batch());
    expect(answer.body).toMatchObject({ issued: 0, existing: BATCH, refused: 0, failed: 0 });
    expect((answer.body.items as any[]).map((item) => item.certificate.serial)).toEqual((firstAnswer.items as any[]).map((item) => item.certificate.serial));
    expect(await dataSource.getRepository(CaCertificate).count()).toBe(certificates);
    expect(await dataSource.getRepository(Meter).count()).toBe(BATCH);
  });

  it('shows a manufacturer its own meters only: another one gets 404 and registers none of them', async () => {
    const own = await call(emh, 'GET', `/v1/meters/${ids[0]}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ meterId: ids[0], status: 'certified', certificate: { serial: firstAnswer.items[0].certificate.serial } });
    const foreign = await call(abc, 'GET', `/v1/meters/${ids[0]}`);
    expect(foreign.status).toBe(404);
    expect(foreign.contentType).toMatch(/^application\/problem\+json/);
    expect((await call(abc, 'GET', '/v1/meters')).body.meters).toEqual([]);
    expect((await call(emh, 'GET', '/v1/meters?limit=5')).body).toMatchObject({ meters: ids.slice(0, 5).map((meterId) => ({ meterId })), next: ids[4] });
    const stolen = await call(abc, 'POST', '/v1/meters/batch', { items: [{ meterId: ids[0], request: meterRequest(pki.workspace, 'stolen') }] });
    expect(stolen.body.items[0]).toMatchObject({ status: 'refused', problem: { status: 403, errors: [{ field: 'items[0].meterId', rule: 'meter.foreign-manufacturer' }] } });
    expect((await call(abc, 'POST', `/v1/meters/${ids[0]}/retirement`)).status).toBe(404);
  });

  it('registers a single meter (201, then 200 with the same certificate) and refuses a bad one with its rule', async () => {
    const item = { meterId: meterIds('ABC', 9, 1)[0], request: meterRequest(pki.workspace, 'single') };
    const first = await call(abc, 'POST', '/v1/meters', item);
    expect(first.status).toBe(201);
    const again = await call(abc, 'POST', '/v1/meters', item);
    expect(again).toMatchObject({ status: 200, body: { status: 'existing', certificate: { serial: first.body.certificate.serial } } });
    const mismatch = await call(abc, 'POST', '/v1/meters', { ...item, request: meterRequest(pki.workspace, 'single-2') });
    expect(mismatch).toMatchObject({ status: 409, body: { errors: [{ field: 'request', rule: 'meter.key-mismatch' }] } });
    const replaced = await call(abc, 'POST', `/v1/meters/${item.meterId}/replacement`, { request: meterRequest(pki.workspace, 'single-3'), reason: 'keyCompromise' });
    expect(replaced.status).toBe(201);
    const old = await dataSource.getRepository(CaCertificate).findOneByOrFail({ serial: first.body.certificate.serial });
    expect(old).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
  });

  it('refuses meter commands to callers without a manufacturer credential and manufacturer commands to manufacturers', async () => {
    expect((await call(admin, 'POST', '/v1/meters/batch', { items: [{ meterId: ids[0], request: 'AAAA' }] })).status).toBe(403);
    expect((await call(emh, 'GET', '/v1/manufacturers')).status).toBe(403);
    expect((await call({ ca: serverCa.cert }, 'GET', '/v1/meters')).status).toBe(401);
    const invalid = await call(admin, 'POST', '/v1/manufacturers', { name: 'x', gln: '12', flagId: 'emh' });
    expect(invalid.status).toBe(400);
    expect((await call(admin, 'POST', '/v1/manufacturers', { name: 'again', gln: '4012345000030', flagId: 'EMH' })).status).toBe(409);
  });
});
