/**
 * Batch issuance through the sub-CA service (POST /v1/cas/{ca}/certificates/batch): a production batch of PKCS#10
 * requests, one result per item in order; bad items refused with their own problem document and audit record,
 * good items issued and verifiable with openssl; whole-request refusals (unknown CA, too many items) store nothing.
 */
import { join } from 'node:path';
import { AuditEvent } from '@smpki/audit';
import { TokenService } from '@smpki/auth';
import { CaCertificate, MAX_BATCH_ITEMS } from '@smpki/ca';
import { DATA_SOURCE } from '@smpki/platform';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createCaTestPki, opensslRequest, type CaTestPki } from './support/ca-test-pki';
import { startSubCa, type RunningSubCa } from './support/start-sub-ca';

describe('POST /v1/cas/{ca}/certificates/batch', () => {
  let pki: CaTestPki;
  let service: RunningSubCa;
  let auth: { Authorization: string };
  let dataSource: DataSource;
  const previousCaConfig = process.env.SMPKI_CA_CONFIG;

  beforeAll(async () => {
    pki = await createCaTestPki();
    await pki.hsm.km.createEcKeyPair(pki.hsm.uri('auth-token'), 'P-256');
    process.env.SMPKI_CA_CONFIG = join(pki.workspace.dir, 'cas.json');
    service = await startSubCa(pki, pki.hsm.uri('auth-token'));
    auth = { Authorization: `Bearer ${(await service.app.get(TokenService).issue({ subject: 'line-7', roles: ['ca-operator'] })).accessToken}` };
    dataSource = service.app.get(DATA_SOURCE);
  }, 60_000);
  afterAll(async () => {
    if (previousCaConfig === undefined) delete process.env.SMPKI_CA_CONFIG;
    else process.env.SMPKI_CA_CONFIG = previousCaConfig;
    await service?.close();
    await pki?.dispose();
  });

  const http = () => request(service.app.getHttpServer());
  const stored = () => dataSource.getRepository(CaCertificate).count();
  const base64Request = (name: string) => opensslRequest(pki.workspace, name).toString('base64');

  it('issues every good item and refuses each bad one with its own problem, in request order', async () => {
    const good = Array.from({ length: 12 }, (_, index) => ({ profile: 'sm-user-tls', request: base64Request(`batch-${index}`) }));
    const tampered = opensslRequest(pki.workspace, 'batch-tampered');
    tampered[tampered.length - 5]! ^= 0x01; // inside the signature: the proof of possession fails
    const items = [
      ...good.slice(0, 4),
      { profile: 'sm-user-tls', request: tampered.toString('base64') },
      ...good.slice(4, 8),
      { profile: 'meter-calibration', request: good[0]!.request },
      { profile: 'sm-user-tls', request: 'not base64 at all!' },
      ...good.slice(8),
    ];
    const before = await stored();
    const answer = await http().post('/v1/cas/market/certificates/batch').set(auth).send({ items }).expect(200);

    expect(answer.body).toMatchObject({ issued: 12, refused: 3, failed: 0, chain: [pki.sub.pem, pki.root.pem] });
    const rules = answer.body.items.map((item: { status: string; problem?: { errors: { field: string; rule: string }[] } }) =>
      item.status === 'issued' ? 'issued' : item.problem!.errors.map((error) => `${error.field}:${error.rule}`).join(','),
    );
    expect(rules).toEqual([
      ...Array(4).fill('issued'),
      'items[4].request:pop.signature-invalid',
      ...Array(4).fill('issued'),
      'items[9].profile:profile.not-allowed',
      'items[10].request:request.encoding',
      ...Array(4).fill('issued'),
    ]);
    expect(await stored()).toBe(before + 12);

    const issued = answer.body.items.filter((item: { status: string }) => item.status === 'issued');
    expect(new Set(issued.map((item: { certificate: { serial: string } }) => item.certificate.serial)).size).toBe(12);
    pki.workspace.write('batch-chain.pem', answer.body.chain[0]);
    for (const [index, item] of issued.entries()) {
      pki.workspace.write(`batch-${index}.pem`, item.certificate.certificate);
      expect(pki.workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'batch-chain.pem', `batch-${index}.pem`]).output).toContain('OK');
    }

    const refusals = await dataSource.getRepository(AuditEvent).find({ where: { action: 'ca.certificate.refuse' } });
    expect(refusals.map((event) => JSON.parse(event.details).item).sort((a: number, b: number) => a - b)).toEqual([4, 9, 10]);
    expect(refusals.every((event) => event.actor === 'line-7')).toBe(true);
  });

  it('refuses a whole batch for an unknown CA, too many items or none, storing nothing', async () => {
    const before = await stored();
    const item = { profile: 'sm-user-tls', request: base64Request('batch-whole') };
    const unknown = await http().post('/v1/cas/no-such-ca/certificates/batch').set(auth).send({ items: [item] }).expect(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const tooMany = await http().post('/v1/cas/market/certificates/batch').set(auth).send({ items: Array(MAX_BATCH_ITEMS + 1).fill(item) }).expect(400);
    expect(tooMany.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'items', rule: 'arrayMaxSize' })]));
    await http().post('/v1/cas/market/certificates/batch').set(auth).send({ items: [] }).expect(400);
    expect(await stored()).toBe(before);
  });

  it('refuses a body over the size limit with a 413 problem document', async () => {
    const answer = await http().post('/v1/cas/market/certificates/batch').set(auth).set('content-type', 'application/json').send(`{"items":[{"profile":"sm-user-tls","request":"${'A'.repeat(9 * 1024 * 1024)}"}]}`);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toContain('application/problem+json');
  });

  it('gives a request body up to an hour (a streamed registration is one body), not Node\'s 300 s', () => {
    expect((service.app.getHttpServer() as { requestTimeout: number }).requestTimeout).toBe(3_600_000);
  });
});
