/**
 * Bulk import of keys wrapped under a pre-agreed transport key (`POST /v1/meters/keys/import`) through HTTP on
 * SoftHSM2 and one database (wrapped-key-import.{sqlite,postgres}.it-spec.ts): per-key answers (imported, existing,
 * refused with the rule: wrong KCV, duplicate in the request, bad blob, wrong length, meter held by another tenant),
 * the imported keys usable, a re-sent request harmless, refusals audited, and no clear key anywhere.
 */
import { randomBytes } from 'node:crypto';
import { AuditEvent } from '@smpki/audit';
import { SkmMeterKey } from '@smpki/skm';
import request from 'supertest';
import { clearKeyFindings } from '../support/clear-key-search';
import { databaseDump } from '../support/database-dump';
import { softwareKcv, softwareUnwrap, softwareWrap, splitIntoComponents } from '../support/skm-crypto';
import { startSkm, type RunningSkm, type SkmDialect } from '../support/start-skm';

const TRANSPORT = randomBytes(16);
const OTHER_TRANSPORT = randomBytes(16);

const meterId = (n: number): string => `5E5E${n.toString(16).toUpperCase().padStart(12, '0')}`;

export function wrappedKeyImportSuite(dialect: SkmDialect): void {
  jest.setTimeout(60_000);
  let skm: RunningSkm;
  let securityA: string;
  let securityB: string;
  const answers: string[] = [];
  const clearKeys = new Map<string, Buffer>([
    ['transport key', TRANSPORT],
    ['other transport key', OTHER_TRANSPORT],
  ]);

  beforeAll(async () => {
    skm = await startSkm(dialect);
    const admin = await skm.token('admin-1', ['administrator']);
    [securityA, securityB] = await Promise.all([skm.token('security-a', ['msp-security-manager']), skm.token('security-b', ['msp-security-manager'])]);
    for (const [name, marketPartnerId, subject, token, key] of [
      ['MSP A', '9900000000019', 'security-a', () => securityA, TRANSPORT],
      ['MSP B', '9900000000026', 'security-b', () => securityB, OTHER_TRANSPORT],
    ] as const) {
      const tenant = await call('post', '/v1/tenants', admin, { name, marketPartnerId });
      expect(tenant.status).toBe(201);
      await call('post', `/v1/tenants/${tenant.body.id}/members`, admin, { subject });
      expect((await call('post', '/v1/transport-keys', token(), { name: 'mfr-1', counterparty: 'manufacturer', bits: 128, components: splitIntoComponents(key) })).status).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await skm?.close();
  });

  async function call(method: 'get' | 'post', path: string, token: string, body?: object): Promise<request.Response> {
    const pending = request(skm.app.getHttpServer())[method](path).set({ Authorization: `Bearer ${token}` });
    const response = body === undefined ? await pending : await pending.send(body);
    answers.push(response.text);
    return response;
  }

  /** An item as a manufacturer sends it: a fresh key wrapped under the transport key, with its KCV. */
  function item(meter: string, kind: string, transport = TRANSPORT, name = `${meter} ${kind}`): { meterId: string; kind: string; wrapped: string; kcv: string } {
    const key = randomBytes(16);
    clearKeys.set(name, key);
    return { meterId: meter, kind, wrapped: softwareWrap(transport, key).toString('hex'), kcv: softwareKcv(key) };
  }

  const importKeys = (token: string, items: object[], transportKey = 'mfr-1') => call('post', '/v1/meters/keys/import', token, { transportKey, items });
  const keyRows = () => skm.dataSource.getRepository(SkmMeterKey).count();

  it('imports good keys, answers every refusal with its rule, and a re-sent request changes nothing', async () => {
    // Meter 9 belongs to tenant B: tenant A may not import a key for it.
    expect((await importKeys(securityB, [item(meterId(9), 'wmbus', OTHER_TRANSPORT)])).body.imported).toBe(1);
    const good = [item(meterId(1), 'wmbus'), item(meterId(2), 'dlms-guek'), item(meterId(2), 'dlms-ak'), item(meterId(3).toLowerCase(), 'wmbus', TRANSPORT, `${meterId(3)} wmbus`)];
    const wrongKcv = { ...item(meterId(4), 'wmbus'), kcv: '000000' };
    const duplicate = item(meterId(1), 'wmbus', TRANSPORT, 'duplicate');
    const tampered = item(meterId(5), 'wmbus');
    tampered.wrapped = `${tampered.wrapped.slice(0, 10)}${tampered.wrapped[10] === '0' ? '1' : '0'}${tampered.wrapped.slice(11)}`;
    const tooLong = { ...item(meterId(6), 'wmbus'), wrapped: softwareWrap(TRANSPORT, randomBytes(32)).toString('hex') };
    const otherTenants = item(meterId(9), 'wmbus');
    const before = await keyRows();

    const first = await importKeys(securityA, [...good, wrongKcv, duplicate, tampered, tooLong, otherTenants]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ imported: 4, existing: 0, refused: 5 });
    expect(first.body.results.map((r: { status: string; rule?: string }) => r.rule ?? r.status)).toEqual([
      'imported', 'imported', 'imported', 'imported', 'key.check-value-mismatch', 'shipment.duplicate', 'key.unwrap-failed', 'key.length', 'key.exists',
    ]);
    expect(first.body.results[3]).toMatchObject({ meterId: meterId(3), kcv: good[3]!.kcv });
    expect(await keyRows()).toBe(before + 4);
    for (const [index, key] of good.entries()) {
      const exported = await call('post', `/v1/meters/${key.meterId}/keys/${key.kind}/export`, securityA, { transportKey: 'mfr-1' });
      expect(exported.status).toBe(200);
      expect(exported.body).toMatchObject({ version: 1, state: 'active', origin: 'imported', kcv: key.kcv });
      expect(softwareUnwrap(TRANSPORT, Buffer.from(exported.body.wrapped, 'hex'))).toEqual(clearKeys.get(index === 3 ? `${meterId(3)} wmbus` : `${key.meterId} ${key.kind}`));
    }

    const again = await importKeys(securityA, [...good, wrongKcv]);
    expect(again.body).toMatchObject({ imported: 0, existing: 4, refused: 1 });
    expect(await keyRows()).toBe(before + 4);
    // Another key for a meter and kind already held is no "existing": it is refused.
    expect((await importKeys(securityA, [item(meterId(1), 'wmbus', TRANSPORT, 'second key')])).body.results[0]).toMatchObject({ status: 'refused', rule: 'key.exists' });
  });

  it('audits the imported keys and the refusals per request', async () => {
    const imports = await skm.dataSource.getRepository(AuditEvent).find({ where: { action: 'skm.key.import', actor: 'security-a' } });
    expect(imports).toHaveLength(1);
    expect(JSON.parse(imports[0]!.details)).toMatchObject({ transportKey: 'mfr-1', counterparty: 'manufacturer', imported: 4, keys: expect.arrayContaining([expect.objectContaining({ meterId: meterId(1), kind: 'wmbus', version: 1 })]) });
    const refusals = await skm.dataSource.getRepository(AuditEvent).find({ where: { action: 'request.refused', actor: 'security-a' } });
    const rules = refusals.flatMap((event) => (JSON.parse(event.details) as { errors: Array<{ rule: string }> }).errors.map((error) => error.rule));
    expect(rules).toEqual(expect.arrayContaining(['key.check-value-mismatch', 'shipment.duplicate', 'key.unwrap-failed', 'key.length', 'key.exists']));
  });

  it('refuses an unknown transport key and malformed items as a whole, storing nothing', async () => {
    const before = await keyRows();
    const unknown = await importKeys(securityA, [item(meterId(20), 'wmbus')], 'nobody');
    expect({ status: unknown.status, rule: unknown.body.errors?.[0]?.rule }).toEqual({ status: 404, rule: 'transport-key.unknown' });
    const malformed = await importKeys(securityA, [{ ...item(meterId(21), 'wmbus'), meterId: 'not-a-meter' }]);
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect((await importKeys(securityA, [])).status).toBe(400);
    expect(await keyRows()).toBe(before);
  });

  it('leaves no clear key in the database, the logs or any answer', async () => {
    const findings = [
      ...clearKeyFindings('database', await databaseDump(skm.database), clearKeys),
      ...clearKeyFindings('logs', Buffer.from(skm.logs.join('\n')), clearKeys),
      ...clearKeyFindings('answers', Buffer.from(answers.join('\n')), clearKeys),
    ];
    expect(findings).toEqual([]);
  });
}
