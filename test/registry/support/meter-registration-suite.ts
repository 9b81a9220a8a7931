/**
 * Meter registration against one database (meter-registration.sqlite.it-spec.ts, ...postgres.it-spec.ts): batches
 * of openssl-made brainpoolP256r1 requests certified by the calibration CA in the SoftHSM2 token, every
 * certificate checked by `openssl verify` and the meter-calibration lint; repeated, duplicated, foreign, mismatched
 * and malformed items; replacement and retirement revoking the old certificate; concurrent registrations of the same
 * meters never certifying one twice.
 */
import { AuditEvent, AuditTrail } from '@smpki/audit';
import { CaCertificate, CaRegistry, CertificateIssuer, PublicationOutbox } from '@smpki/ca';
import { ProblemException } from '@smpki/platform';
import { lintCertificate } from '@smpki/policy';
import {
  ManufacturerService,
  Meter,
  MeterQueryService,
  MeterRegistrationService,
  MeterRetirementService,
  type MeterItem,
  type MeterItemResult,
  type RegistrationCaller,
} from '@smpki/registry';
import type { TestDatabase, TestDatabaseFactory } from '../../persistence/support/test-databases';
import { createCaTestPki, type CaTestPki } from '../../ca/support/ca-test-pki';
import { subCaCrmfRequest } from '../../root-ca/support/crmf-request';
import { meterIds, meterRequest } from './meter-requests';

const ADMIN = 'CN=admin-1';

export function meterRegistrationSuite(openDatabase: TestDatabaseFactory): void {
  jest.setTimeout(60_000);
  let pki: CaTestPki;
  let db: TestDatabase;
  let audit: AuditTrail;
  let registry: CaRegistry;
  let registration: MeterRegistrationService;
  let query: MeterQueryService;
  let retirement: MeterRetirementService;
  let emh: RegistrationCaller;
  let abc: RegistrationCaller;
  let calibrationDer: Buffer;

  beforeAll(async () => {
    pki = await createCaTestPki();
    db = await openDatabase();
    audit = new AuditTrail(db.dataSource, { service: 'sub-ca' });
    registry = await CaRegistry.open(pki.configs, pki.hsm.km, db.dataSource);
    const issuer = new CertificateIssuer(registry, db.dataSource, audit);
    const manufacturers = new ManufacturerService(db.dataSource, issuer, audit);
    registration = new MeterRegistrationService(db.dataSource, registry, issuer, audit);
    query = new MeterQueryService(db.dataSource, registry);
    retirement = new MeterRetirementService(db.dataSource, registry, audit);
    emh = { manufacturer: await manufacturers.create({ name: 'EMH metering', gln: '4012345000016', flagId: 'EMH' }, ADMIN), requester: 'CN=line-7.EMT.EMH' };
    abc = { manufacturer: await manufacturers.create({ name: 'ABC meters', gln: '4012345000023', flagId: 'ABC' }, ADMIN), requester: 'CN=line-1.EMT.ABC' };
    calibrationDer = pki.configs.find((config) => config.name === 'calibration')!.certificate.der;
  }, 120_000);
  afterAll(async () => {
    await db?.remove();
    await pki?.dispose();
  });

  const count = (entity: Function, where: object = {}) => db.dataSource.getRepository(entity as never).count({ where } as never);
  const auditCount = (action: string) => count(AuditEvent, { action });

  function items(ids: readonly string[], extra: Partial<MeterItem> = {}): MeterItem[] {
    return ids.map((meterId) => ({ meterId, request: meterRequest(pki.workspace, meterId), model: 'eHZ-B', firmwareVersion: '1.4.2', calibrationDate: '2026-11-21', calibrationStation: 'line-7', ...extra }));
  }

  function issued(result: MeterItemResult | undefined) {
    if (result?.status !== 'issued' && result?.status !== 'existing') throw new Error(`expected a certificate, got ${JSON.stringify(result)}`);
    return result.certificate;
  }

  function refusedRule(result: MeterItemResult | undefined): { status: number; rules: string[] } {
    if (result?.status !== 'refused') throw new Error(`expected a refusal, got ${result?.status}`);
    const problem = result.problem.asProblemDocument();
    return { status: problem.status, rules: (problem.errors ?? []).map((error) => error.rule) };
  }

  /** `openssl verify` of every certificate against root + calibration CA; returns the output lines. */
  function opensslVerifyAll(name: string, pems: readonly string[]): string[] {
    const files = pems.map((pem, index) => {
      pki.workspace.write(`${name}-${index}.pem`, pem);
      return `${name}-${index}.pem`;
    });
    return pki.workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'calibration.pem', ...files]).output.trim().split('\n');
  }

  it('certifies a batch of openssl-made meter keys: openssl verifies every certificate, the linter passes it, rows and outbox are written', async () => {
    const ids = meterIds('EMH', 1, 24);
    const certifyBefore = await auditCount('registry.meter.certify');
    const results = await registration.registerBatch(emh, items(ids));
    expect(results.map((result) => result.status)).toEqual(ids.map(() => 'issued'));
    const certificates = results.map(issued);
    expect(opensslVerifyAll('batch', certificates.map((certificate) => certificate.pem))).toEqual(ids.map((_, index) => `batch-${index}.pem: OK`));
    for (const [index, certificate] of certificates.entries()) {
      expect(lintCertificate(certificate.der, { profile: 'meter-calibration', issuer: calibrationDer }).findings).toEqual([]);
      expect(certificate.subject).toContain(`CN=${ids[index]}`);
      expect(certificate.subject).toContain(`serialNumber=${ids[index]}`);
      expect(certificate.ca).toBe('calibration');
    }
    const meter = await query.find(emh.manufacturer.id, ids[0]!);
    expect(meter.meter).toMatchObject({ status: 'certified', certificateSerial: certificates[0]!.serial, model: 'eHZ-B', calibrationStation: 'line-7', calibrationDate: '2026-11-21', type: 'electricity' });
    expect(meter.certificate?.pem).toBe(certificates[0]!.pem);
    for (const certificate of certificates) expect(await count(PublicationOutbox, { kind: 'certificate', ca: 'calibration', serial: certificate.serial })).toBe(1);
    expect(await auditCount('registry.meter.certify')).toBe(certifyBefore + ids.length);
  });

  it('answers a repeated batch with the same certificates, all `existing`, and stores nothing new', async () => {
    const ids = meterIds('EMH', 101, 6);
    const batch = items(ids);
    const first = (await registration.registerBatch(emh, batch)).map(issued);
    const before = { certificates: await count(CaCertificate), meters: await count(Meter), outbox: await count(PublicationOutbox), certify: await auditCount('registry.meter.certify') };
    const again = await registration.registerBatch(emh, batch);
    expect(again.map((result) => result.status)).toEqual(ids.map(() => 'existing'));
    expect(again.map((result) => issued(result).serial)).toEqual(first.map((certificate) => certificate.serial));
    expect(again.map((result) => issued(result).pem)).toEqual(first.map((certificate) => certificate.pem));
    expect({ certificates: await count(CaCertificate), meters: await count(Meter), outbox: await count(PublicationOutbox), certify: await auditCount('registry.meter.certify') }).toEqual(before);
  });

  it('certifies the key of an SM-PKI CRMF request with one CertReqMsg, under the subject from the registry', async () => {
    const [meterId] = meterIds('EMH', 150, 1);
    const [result] = await registration.registerBatch(emh, [{ meterId: meterId!, request: (await subCaCrmfRequest()).toString('base64') }]);
    const certificate = issued(result);
    expect(opensslVerifyAll('crmf', [certificate.pem])).toEqual(['crmf-0.pem: OK']);
    expect(certificate.subject).not.toContain('Test-Crmf');
    const [tampered, several] = await registration.registerBatch(emh, [
      { meterId: meterIds('EMH', 151, 1)[0]!, request: await subCaCrmfRequest({ tamperPop: true }) },
      { meterId: meterIds('EMH', 152, 1)[0]!, request: await subCaCrmfRequest({ requests: 2 }) },
    ]);
    expect(refusedRule(tampered).rules).toContain('crmf.pop-invalid');
    expect(refusedRule(several).status).toBe(400);
  });

  it('refuses a duplicate inside one batch, after the first occurrence, and a meter id of another FLAG id', async () => {
    const [id] = meterIds('EMH', 200, 1);
    const refusedBefore = await auditCount('registry.meter.refuse');
    const results = await registration.registerBatch(emh, [...items([id!, id!]), ...items(meterIds('ABC', 200, 1)), ...items(['not-a-meter'])]);
    expect(results[0]!.status).toBe('issued');
    expect(refusedRule(results[1])).toEqual({ status: 400, rules: ['batch.duplicate-meter'] });
    expect(refusedRule(results[2])).toEqual({ status: 403, rules: ['meter.foreign-manufacturer'] });
    expect(refusedRule(results[3])).toEqual({ status: 400, rules: ['meter.id-format'] });
    expect(await count(Meter, { meterId: id })).toBe(1);
    expect(await auditCount('registry.meter.refuse')).toBe(refusedBefore + 3);
    // Another manufacturer neither reads nor lists it.
    await expect(query.find(abc.manufacturer.id, id!)).rejects.toMatchObject({ status: 404 });
    expect((await query.list(abc.manufacturer.id)).meters.map((meter) => meter.meterId)).not.toContain(id);
  });

  it('refuses one key for two meters (meter.key-reused), inside a batch and across batches, whoever holds the key', async () => {
    const [first, second, third] = meterIds('EMH', 350, 3);
    const shared = meterRequest(pki.workspace, first!);
    const results = await registration.registerBatch(emh, [
      { meterId: first!, request: shared },
      { meterId: second!, request: shared },
    ]);
    expect(results[0]!.status).toBe('issued');
    expect(refusedRule(results[1])).toEqual({ status: 409, rules: ['meter.key-reused'] });
    const later = await registration.registerBatch(emh, [{ meterId: third!, request: shared }]);
    expect(refusedRule(later[0])).toEqual({ status: 409, rules: ['meter.key-reused'] });
    expect(await count(Meter, { meterId: second })).toBe(0);
    expect(await count(Meter, { meterId: third })).toBe(0);
    // The holder itself repeating its registration is still answered with its certificate.
    expect((await registration.registerBatch(emh, [{ meterId: first!, request: shared }]))[0]!.status).toBe('existing');
  });

  it('refuses each bad request on its own item and certifies the others', async () => {
    const ids = meterIds('EMH', 300, 6);
    const tampered = Buffer.from(meterRequest(pki.workspace, 'tampered'), 'base64');
    tampered[tampered.length - 5]! ^= 0x01;
    const certificatesBefore = await count(CaCertificate);
    const results = await registration.registerBatch(emh, [
      { meterId: ids[0]!, request: 'not base64 at all!' },
      { meterId: ids[1]!, request: Buffer.from('3003020101', 'hex').toString('base64') },
      { meterId: ids[2]!, request: tampered.toString('base64') },
      { meterId: ids[3]!, request: meterRequest(pki.workspace, 'k1', { curve: 'secp256k1' }) },
      ...items([ids[4]!]),
    ]);
    expect(results.slice(0, 4).map(refusedRule)).toEqual([
      { status: 400, rules: ['request.encoding'] },
      { status: 400, rules: ['der.malformed'] },
      { status: 400, rules: ['pop.signature-invalid'] },
      { status: 400, rules: ['key.curve-not-allowed'] },
    ]);
    expect(results[4]!.status).toBe('issued');
    expect(await count(CaCertificate)).toBe(certificatesBefore + 1);
    expect(await count(Meter, { meterId: ids[0] })).toBe(0);
  });

  it('refuses another key for a certified meter unless it is a replacement, which revokes the old certificate (audited)', async () => {
    const [id] = meterIds('EMH', 400, 1);
    const old = issued((await registration.registerBatch(emh, items([id!])))[0]);
    const otherKey = items([id!]);
    expect(refusedRule((await registration.registerBatch(emh, otherKey))[0])).toEqual({ status: 409, rules: ['meter.key-mismatch'] });
    const revokesBefore = await auditCount('ca.certificate.revoke');

    const replaced = await registration.registerBatch(emh, [{ ...otherKey[0]!, replacement: true, firmwareVersion: '1.5.0' }]);
    const fresh = issued(replaced[0]);
    expect(replaced[0]!.status).toBe('issued');
    expect(fresh.serial).not.toBe(old.serial);
    const oldRow = await db.dataSource.getRepository(CaCertificate).findOneByOrFail({ serial: old.serial });
    expect(oldRow).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    expect((await query.find(emh.manufacturer.id, id!)).meter).toMatchObject({ status: 'certified', certificateSerial: fresh.serial, firmwareVersion: '1.5.0' });
    expect(await auditCount('ca.certificate.revoke')).toBe(revokesBefore + 1);
    const revokeEvent = await db.dataSource.getRepository(AuditEvent).findOneOrFail({ where: { action: 'ca.certificate.revoke' }, order: { seq: 'DESC' } as never });
    expect(JSON.stringify(revokeEvent)).toContain(old.serial);

    // Sent again (the answer was lost): the same new certificate, nothing revoked or issued.
    const repeat = await registration.registerBatch(emh, [{ ...otherKey[0]!, replacement: true }]);
    expect(repeat[0]).toMatchObject({ status: 'existing' });
    expect(issued(repeat[0]).serial).toBe(fresh.serial);
    expect(await auditCount('ca.certificate.revoke')).toBe(revokesBefore + 1);

    // The single replacement endpoint names its reason; a meter that is not the caller's is unknown to it.
    const third = await registration.replace(emh, items([id!])[0]!, 'keyCompromise');
    expect(third.status).toBe('issued');
    expect(await db.dataSource.getRepository(CaCertificate).findOneByOrFail({ serial: fresh.serial })).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
    await expect(registration.replace(abc, items([id!])[0]!, 'superseded')).rejects.toMatchObject({ status: 404 });
  });

  it('retires a meter: its certificate is revoked (cessationOfOperation) and it gets no new one', async () => {
    const [id] = meterIds('EMH', 500, 1);
    const certificate = issued((await registration.registerBatch(emh, items([id!])))[0]);
    const meter = await retirement.retire(emh, id!);
    expect(meter.status).toBe('retired');
    expect(await db.dataSource.getRepository(CaCertificate).findOneByOrFail({ serial: certificate.serial })).toMatchObject({ status: 'revoked', revocationReason: 'cessationOfOperation' });
    expect(refusedRule((await registration.registerBatch(emh, items([id!], { replacement: true })))[0])).toEqual({ status: 409, rules: ['meter.retired'] });
    await expect(retirement.retire(abc, id!)).rejects.toMatchObject({ status: 404 });
  });

  it('never certifies a meter twice when the same batch runs concurrently: one certificate per meter, the rest `existing`', async () => {
    const ids = meterIds('EMH', 600, 12);
    const batch = items(ids);
    const certificatesBefore = await count(CaCertificate);
    const runs = await Promise.all([registration.registerBatch(emh, batch), registration.registerBatch(emh, batch), registration.registerBatch(emh, batch)]);
    for (const [index] of ids.entries()) {
      const statuses = runs.map((run) => run[index]!.status).sort();
      expect(statuses).toEqual(['existing', 'existing', 'issued']);
      expect(new Set(runs.map((run) => issued(run[index]).serial)).size).toBe(1);
    }
    expect(await count(CaCertificate)).toBe(certificatesBefore + ids.length);
    // A concurrent registration with another key ends as a mismatch, never as a second certificate.
    const [other] = meterIds('EMH', 700, 1);
    const contenders = await Promise.all([registration.registerBatch(emh, items([other!])), registration.registerBatch(emh, items([other!]))]);
    expect(contenders.map(([result]) => result!.status).sort()).toEqual(['issued', 'refused']);
  });

  it('pages through the caller\'s meters in meter id order and refuses oversized batches whole', async () => {
    const first = await query.list(emh.manufacturer.id, { limit: 5 });
    expect(first.meters).toHaveLength(5);
    const second = await query.list(emh.manufacturer.id, { limit: 5, after: first.next! });
    expect(second.meters[0]!.meterId > first.meters[4]!.meterId).toBe(true);
    const tooMany = Array.from({ length: 2001 }, () => ({ meterId: 'x', request: 'x' }));
    await expect(registration.registerBatch(emh, tooMany)).rejects.toBeInstanceOf(ProblemException);
    await expect(registration.registerBatch(emh, tooMany)).rejects.toMatchObject({ status: 413 });
  });
}
