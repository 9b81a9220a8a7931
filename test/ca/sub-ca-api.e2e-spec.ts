/**
 * The sub-CA service's CA API end to end: the real SubCaModule with SMPKI_CA_CONFIG, the CA keys and the token key
 * in SoftHSM2, an operator's bearer token, and OpenSSL checking what the API hands out: issuance, renewal,
 * revocation, full and delta CRLs (also with 20,000 entries), and the linter.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditEvent } from '@smpki/audit';
import { TokenService } from '@smpki/auth';
import { CaAuthority, CaCertificate } from '@smpki/ca';
import { parseCrl } from '@smpki/crypto';
import { DATA_SOURCE } from '@smpki/platform';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createCaTestPki, opensslRequest, type CaTestPki } from './support/ca-test-pki';
import { opensslKey, renewalRequest } from './support/renewal-request';
import { startSubCa, type RunningSubCa } from './support/start-sub-ca';

const REAL = '/work/shared/testdata/sm-pki-real';
const INIT_CRMF_BASE64 = readFileSync(`${REAL}/init.crmf`, 'latin1');
const RENEW_CRMF_BASE64 = readFileSync(`${REAL}/renew.crmf`, 'latin1');
const SIG_SAN = ['subjectAltName=email:maco@company.invalid,URI:https://maco.company.invalid/'];

describe('sub-CA API /v1/cas/{ca}', () => {
  let pki: CaTestPki;
  let service: RunningSubCa;
  let token: string;
  let dataSource: DataSource;
  const previousCaConfig = process.env.SMPKI_CA_CONFIG;

  beforeAll(async () => {
    pki = await createCaTestPki();
    await pki.hsm.km.createEcKeyPair(pki.hsm.uri('auth-token'), 'P-256');
    process.env.SMPKI_CA_CONFIG = join(pki.workspace.dir, 'cas.json');
    service = await startSubCa(pki, pki.hsm.uri('auth-token'));
    token = (await service.app.get(TokenService).issue({ subject: 'operator-1', roles: ['ca-operator'] })).accessToken;
    dataSource = service.app.get(DATA_SOURCE);
  }, 60_000);
  afterAll(async () => {
    if (previousCaConfig === undefined) delete process.env.SMPKI_CA_CONFIG;
    else process.env.SMPKI_CA_CONFIG = previousCaConfig;
    await service?.close();
    await pki?.dispose();
  });

  const http = () => request(service.app.getHttpServer());
  const crlBytes = (path: string) =>
    http().get(path).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  /** `openssl crl` (with `extra` options) of a CRL DER, verified against the market CA. */
  const opensslCrl = (name: string, der: Buffer, ...extra: string[]) => {
    pki.workspace.write(`${name}.crl`, der);
    return pki.workspace.run(['crl', '-inform', 'DER', '-in', `${name}.crl`, '-CAfile', 'sub.pem', '-noout', ...extra]).output;
  };
  const refusedCount = () => dataSource.getRepository(AuditEvent).count({ where: { action: 'request.refused' } });
  const auth = { Authorization: '' };
  beforeEach(() => {
    auth.Authorization = `Bearer ${token}`;
  });

  it('issues from a PEM CSR, reads it back, revokes it, and serves a CRL that openssl says revokes it', async () => {
    const csr = opensslRequest(pki.workspace, 'api-tls');
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${csr.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const issued = await http().post('/v1/cas/market/certificates').set(auth).send({ profile: 'sm-user-tls', request: pem }).expect(201);
    expect(issued.body).toMatchObject({ ca: 'market', profile: 'sm-user-tls', status: 'good', chain: [pki.sub.pem, pki.root.pem] });
    pki.workspace.write('api-tls.pem', issued.body.certificate);
    expect(pki.workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', 'api-tls.pem']).output).toContain('api-tls.pem: OK');

    const serial = issued.body.serial as string;
    await http().get(`/v1/cas/market/certificates/${serial}`).set(auth).expect(200).expect((answer) => expect(answer.body.fingerprint).toBe(issued.body.fingerprint));
    const revoked = await http().post(`/v1/cas/market/certificates/${serial}/revocation`).set(auth).send({ reason: 'keyCompromise' }).expect(200);
    expect(revoked.body.status).toBe('revoked');

    const published = await http().post('/v1/cas/market/crl').set(auth).expect(201);
    const crl = await http().get('/v1/cas/market/crl').buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    pki.workspace.write('api.crl', crl.body as Buffer);
    pki.workspace.runBinary(['crl', '-inform', 'DER', '-in', 'api.crl', '-out', 'api-crl.pem']);
    expect(pki.workspace.run(['crl', '-in', 'api-crl.pem', '-CAfile', 'sub.pem', '-noout', '-text']).output).toContain(`X509v3 CRL Number: \n                ${published.body.crlNumber}`);
    expect(pki.workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'api-crl.pem', 'api-tls.pem']).output).toContain('certificate revoked');
  });

  it('issues the three certificates of the real SM-PKI initial request', async () => {
    const answer = await http().post('/v1/cas/market/crmf').set(auth).send({ request: INIT_CRMF_BASE64 }).expect(201);
    expect(answer.body.certificates.map((certificate: { profile: string }) => certificate.profile)).toEqual(['sm-user-enc', 'sm-user-sig', 'sm-user-tls']);
  });

  it('answers bad input with a problem document naming the rule, records the refusal and stores nothing', async () => {
    const stored = await dataSource.getRepository(CaCertificate).count();
    const refusedBefore = await dataSource.getRepository(AuditEvent).count({ where: { action: 'request.refused' } });
    const malformed = await http().post('/v1/cas/market/certificates').set(auth).send({ profile: 'sm-user-tls', request: 'MAMCAQE=' }).expect(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(malformed.body).toMatchObject({ type: 'urn:smpki:problem:certificate-request-invalid', errors: [{ field: 'request', rule: 'der.malformed' }] });
    const unknown = await http().post('/v1/cas/nope/certificates').set(auth).send({ profile: 'sm-user-tls', request: 'MAMCAQE=' }).expect(404);
    expect(unknown.body.errors[0].rule).toBe('ca.unknown');
    const badReason = await http().post('/v1/cas/market/certificates/0a0b/revocation').set(auth).send({ reason: 'because' }).expect(400);
    expect(badReason.body.errors[0].field).toBe('reason');
    await http().post('/v1/cas/market/certificates').send({ profile: 'sm-user-tls', request: 'MAMCAQE=' }).expect(401);
    expect(await dataSource.getRepository(CaCertificate).count()).toBe(stored);
    expect(await dataSource.getRepository(AuditEvent).count({ where: { action: 'request.refused' } })).toBeGreaterThanOrEqual(refusedBefore + 2);
  });

  it('renews through POST crmf with a renewal signed by the old SIG key; refuses it once that certificate is revoked', async () => {
    const csr = opensslRequest(pki.workspace, 'api-old-sig', { extensions: SIG_SAN });
    const old = await http().post('/v1/cas/market/certificates').set(auth).send({ profile: 'sm-user-sig', request: csr.toString('base64') }).expect(201);
    const oldDer = Buffer.from(old.body.certificate.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const renewal = (await renewalRequest(oldDer, opensslKey(pki.workspace, 'api-old-sig'), [pki.sub.der])).toString('base64');
    const renewed = await http().post('/v1/cas/market/crmf').set(auth).send({ request: renewal }).expect(201);
    expect(renewed.body.certificates.map((certificate: { profile: string; subject: string }) => [certificate.profile, certificate.subject])).toEqual([
      ['sm-user-sig', old.body.subject],
      ['sm-user-tls', old.body.subject],
    ]);

    await http().post(`/v1/cas/market/certificates/${old.body.serial}/revocation`).set(auth).send({ reason: 'superseded' }).expect(200);
    const stored = await dataSource.getRepository(CaCertificate).count();
    const refusedBefore = await refusedCount();
    const refused = await http().post('/v1/cas/market/crmf').set(auth).send({ request: renewal }).expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: 'urn:smpki:problem:certificate-request-invalid', errors: [{ field: 'request', rule: 'crmf.signer-revoked' }] });
    const real = await http().post('/v1/cas/market/crmf').set(auth).send({ request: RENEW_CRMF_BASE64 }).expect(400);
    expect(real.body.errors[0].rule).toBe('crmf.signer-untrusted');
    expect(await dataSource.getRepository(CaCertificate).count()).toBe(stored);
    expect(await refusedCount()).toBe(refusedBefore + 2);
  });

  it('serves a delta CRL naming its base that openssl accepts, and lists a revocation in the full CRL at once (crlOnRevocation)', async () => {
    const csr = opensslRequest(pki.workspace, 'api-delta', { extensions: SIG_SAN });
    const issued = await http().post('/v1/cas/market/certificates').set(auth).send({ profile: 'sm-user-sig', request: csr.toString('base64') }).expect(201);
    await http().post(`/v1/cas/market/certificates/${issued.body.serial}/revocation`).set(auth).send({ reason: 'keyCompromise' }).expect(200);
    const full = parseCrl((await crlBytes('/v1/cas/market/crl').expect(200)).body as Buffer);
    expect(full.findEntry(issued.body.serial)).toBeDefined();

    const answer = await crlBytes('/v1/cas/market/crl/delta').expect(200);
    expect(answer.headers['content-type']).toBe('application/pkix-crl');
    const delta = parseCrl(answer.body as Buffer);
    expect(delta.deltaCrlIndicator).toBe(full.crlNumber);
    expect(delta.crlNumber).toBe(full.crlNumber! + 1n);
    expect(delta.findEntry(issued.body.serial)?.reason).toBe('keyCompromise');
    const text = opensslCrl('api-delta', answer.body as Buffer, '-text');
    expect(text).toContain('verify OK');
    expect(text).toMatch(new RegExp(`Delta CRL Indicator: critical\\s+${full.crlNumber}\\b`));
    const published = await http().post('/v1/cas/market/crl/delta').set(auth).expect(201);
    expect(published.body).toMatchObject({ ca: 'market', baseCrlNumber: Number(full.crlNumber), crlNumber: Number(full.crlNumber) + 2 });
  });

  describe('POST /v1/lint', () => {
    const lint = (body: object, authorization = auth.Authorization) => http().post('/v1/lint').set({ Authorization: authorization }).send(body);

    it('passes the real SM-PKI certificates (DER as base64 and as PEM), for an auditor as for an operator', async () => {
      const auditor = (await service.app.get(TokenService).issue({ subject: 'auditor-1', roles: ['auditor'] })).accessToken;
      for (const [file, profile] of [['tls.cer', 'sm-user-tls'], ['sig.cer', 'sm-user-sig'], ['enc.cer', 'sm-user-enc']] as const) {
        const base64 = readFileSync(`${REAL}/${file}`).toString('base64');
        const answer = await lint({ certificate: base64 }, `Bearer ${auditor}`).expect(200);
        expect(answer.body).toEqual({ profile, findings: [], ok: true });
        const pem = `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
        expect((await lint({ certificate: pem, profile }).expect(200)).body.ok).toBe(true);
      }
    });

    it('names each rule a certificate breaks', async () => {
      pki.workspace.runBinary(['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'broken.key']);
      pki.workspace.runBinary(['req', '-x509', '-new', '-key', 'broken.key', '-sha256', '-days', '3650', '-subj', '/CN=Company-Test.EMT.MAK/O=SM-Test-PKI-DE/C=DE', '-out', 'broken.pem']);
      const answer = await lint({ certificate: readFileSync(join(pki.workspace.dir, 'broken.pem'), 'utf8'), profile: 'sm-user-tls', issuer: pki.sub.pem }).expect(200);
      const rules = answer.body.findings.map((finding: { rule: string }) => finding.rule);
      expect(answer.body.ok).toBe(false);
      expect(rules).toEqual(expect.arrayContaining(['name.ou.gln', 'ext.san.required']));
    });

    it('refuses text that is neither PEM nor base64 with a 400 naming the field', async () => {
      const answer = await lint({ certificate: 'not base64!' }).expect(400);
      expect(answer.body.errors[0]).toMatchObject({ field: 'certificate', rule: 'request.encoding' });
    });
  });

  it('streams a CRL of 20,000 revoked certificates inserted in bulk; openssl verifies it', async () => {
    const authority = await dataSource.getRepository(CaAuthority).findOneByOrFail({ name: 'market' });
    const revokedAt = new Date(Date.now() - 3_600_000);
    const serials: string[] = [];
    for (let page = 0; page < 20; page++) {
      const rows = Array.from({ length: 1000 }, () => {
        const serial = `${(randomBytes(1)[0]! & 0x7f | 0x01).toString(16).padStart(2, '0')}${randomBytes(15).toString('hex')}`;
        serials.push(serial);
        return {
          id: randomUUID(), authorityId: authority.id, serial, subject: 'CN=bulk', profile: 'sm-user-sig', notBefore: revokedAt, notAfter: revokedAt,
          fingerprint: createHash('sha256').update(serial).digest('hex'), der: Buffer.of(0x30, 0x00), status: 'revoked' as const,
          revokedAt, revocationReason: 'keyCompromise', invalidityDate: null, requester: 'bulk', issuedAt: revokedAt,
        };
      });
      await dataSource.getRepository(CaCertificate).insert(rows);
    }
    const started = process.hrtime.bigint();
    await http().post('/v1/cas/market/crl').set(auth).expect(201);
    const answer = await crlBytes('/v1/cas/market/crl').expect(200);
    const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
    const crl = parseCrl(answer.body as Buffer);
    expect(crl.entryCount()).toBeGreaterThanOrEqual(20_000);
    for (const serial of [serials[0]!, serials[9_999]!, serials[19_999]!]) expect(crl.findEntry(serial)).toBeDefined();
    expect(opensslCrl('bulk', answer.body as Buffer)).toContain('verify OK');
    process.stdout.write(`CRL of ${crl.entryCount()} entries signed and served in ${milliseconds.toFixed(0)} ms (${((milliseconds * 10_000) / crl.entryCount()).toFixed(0)} ms per 10k entries)\n`);
  });
});
