/**
 * The SKM key hierarchy through its HTTP API, on SoftHSM2 and one database (skm-key-hierarchy.sqlite.it-spec.ts,
 * ...postgres.it-spec.ts): tenants with HSM master keys, transport keys from key components, the RFC 3394 vector
 * imported and exported through the service, generated DLMS/wM-Bus keys checked against their KCV, rotation with
 * confirmation, destruction, master-key rotation and provider change keeping every key usable, bad input refused
 * (problem+json, audited, nothing changed), and finally no clear key anywhere in the database, logs or answers.
 */
import { randomBytes } from 'node:crypto';
import { AuditEvent } from '@smpki/audit';
import { AUDIT_TRAIL, KEY_MANAGER } from '@smpki/platform';
import { MasterKeyRotationService, SkmMeterKey } from '@smpki/skm';
import request from 'supertest';
import { clearKeyFindings } from './clear-key-search';
import { databaseDump } from './database-dump';
import { softwareKcv, softwareUnwrap, softwareWrap, splitIntoComponents } from './skm-crypto';
import { startSkm, type RunningSkm, type SkmDialect } from './start-skm';

const RFC3394 = {
  kek: Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex'),
  key: Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex'),
  wrapped: '1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5',
};
const TENANT_A = { name: 'MSB Musterstadt', marketPartnerId: '9900000000019' };
const TENANT_B = { name: 'MSB Beispielheim', marketPartnerId: '9900000000026' };
const METER = { vector: '4D4D4D0000BC614E', dlms: '4D4D4D0000BC6150', wmbus: '9315785634123303', other: '4D4D4D0000BC6151', unknown: '4D4D4D00000000FF' };

export function skmKeyHierarchySuite(dialect: SkmDialect): void {
  jest.setTimeout(60_000);
  let skm: RunningSkm;
  let admin: string;
  let securityA: string;
  let securityB: string;
  let operatorA: string;
  let unbound: string;
  /** Every answer body of the run, searched for clear keys at the end. */
  const answers: string[] = [];
  /** Clear keys the test knows (imported ones and transport keys), searched for at the end. */
  const clearKeys = new Map<string, Buffer>([
    ['rfc3394 key', RFC3394.key],
    ['transport key', RFC3394.kek],
  ]);

  beforeAll(async () => {
    skm = await startSkm(dialect);
    [admin, securityA, securityB, operatorA, unbound] = await Promise.all([
      skm.token('admin-1', ['administrator']),
      skm.token('security-a', ['msp-security-manager']),
      skm.token('security-b', ['msp-security-manager']),
      skm.token('operator-a', ['msp-operator']),
      skm.token('security-nobody', ['msp-security-manager']),
    ]);
  }, 120_000);
  afterAll(async () => {
    await skm?.close();
  });

  async function call(method: 'get' | 'post' | 'delete', path: string, token: string, body?: object): Promise<request.Response> {
    const pending = request(skm.app.getHttpServer())[method](path).set({ Authorization: `Bearer ${token}` });
    const response = body === undefined ? await pending : await pending.send(body);
    answers.push(response.text);
    return response;
  }

  function expectProblem(response: request.Response, status: number, field: string, rule: string): void {
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status, errors: [expect.objectContaining({ field, rule })] });
    expect(response.headers['content-type']).toContain('application/problem+json');
  }

  const events = (action: string) => skm.dataSource.getRepository(AuditEvent).find({ where: { action }, order: { seq: 'ASC' } as never });
  const keyRows = () => skm.dataSource.getRepository(SkmMeterKey).find({ order: { id: 'ASC' } });

  /** Imports `key` for a meter of tenant A under the transport key `hes-1`. */
  async function importForA(meterId: string, kind: string, key: Buffer, token = securityA) {
    return call('post', `/v1/meters/${meterId}/keys/import`, token, { kind, transportKey: 'hes-1', wrapped: softwareWrap(RFC3394.kek, key).toString('hex'), kcv: softwareKcv(key) });
  }

  async function exportedClear(meterId: string, kind: string, token = securityA, transportKey = 'hes-1'): Promise<Buffer> {
    const exported = await call('post', `/v1/meters/${meterId}/keys/${kind}/export`, token, { transportKey });
    expect(exported.status).toBe(200);
    return softwareUnwrap(RFC3394.kek, Buffer.from(exported.body.wrapped, 'hex'));
  }

  it('creates two tenants with non-extractable HSM master keys and binds their staff', async () => {
    const a = await call('post', '/v1/tenants', admin, { ...TENANT_A, masterBits: 256 });
    const b = await call('post', '/v1/tenants', admin, { ...TENANT_B, masterBits: 128 });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toMatchObject({ ...TENANT_A, masterBits: 256, masterVersion: 1, rotatingToVersion: null });
    const master = await skm.hsm.km.findKey(skm.hsm.uri(`skm-master-${TENANT_A.marketPartnerId}-v1`));
    expect(master).toMatchObject({ kind: 'aes', bits: 256, sensitive: true, extractable: false });
    expect((await call('post', `/v1/tenants/${a.body.id}/members`, admin, { subject: 'security-a' })).status).toBe(201);
    expect((await call('post', `/v1/tenants/${a.body.id}/members`, admin, { subject: 'operator-a' })).status).toBe(201);
    expect((await call('post', `/v1/tenants/${b.body.id}/members`, admin, { subject: 'security-b' })).status).toBe(201);
    expectProblem(await call('post', '/v1/tenants', admin, { ...TENANT_A, name: 'again' }), 409, 'marketPartnerId', 'tenant.market-partner-taken');
    expectProblem(await call('post', `/v1/tenants/${b.body.id}/members`, admin, { subject: 'security-a' }), 409, 'subject', 'tenant.member-bound');
    // The administrator runs tenants but holds no key command; a tenant's staff cannot create tenants.
    expect((await call('post', `/v1/meters/${METER.dlms}/keys`, admin, { type: 'dlms' })).status).toBe(403);
    expect((await call('post', '/v1/tenants', securityA, { name: 'x', marketPartnerId: '9900000000033' })).status).toBe(403);
    expect((await call('get', '/v1/tenant', securityA)).body.marketPartnerId).toBe(TENANT_A.marketPartnerId);
    expect((await events('skm.tenant.create')).map((event) => event.actor)).toEqual(['admin-1', 'admin-1']);
  });

  it('imports the RFC 3394 vector through the service and exports exactly the vector again', async () => {
    const transport = await call('post', '/v1/transport-keys', securityA, { name: 'hes-1', counterparty: 'head-end', bits: 128, components: splitIntoComponents(RFC3394.kek), kcv: softwareKcv(RFC3394.kek) });
    expect(transport.status).toBe(201);
    expect(transport.body).toMatchObject({ name: 'hes-1', kcv: softwareKcv(RFC3394.kek), origin: 'components' });
    expect(await skm.hsm.km.findKey(skm.hsm.uri(`skm-transport-${TENANT_A.marketPartnerId}-hes-1`))).toMatchObject({ sensitive: true, extractable: false });

    const imported = await call('post', `/v1/meters/${METER.vector}/keys/import`, securityA, { kind: 'dlms-guek', transportKey: 'hes-1', wrapped: RFC3394.wrapped, kcv: softwareKcv(RFC3394.key) });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ meterId: METER.vector, kind: 'dlms-guek', version: 1, state: 'active', origin: 'imported', kcv: softwareKcv(RFC3394.key), masterVersion: 1 });
    const exported = await call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, securityA, { transportKey: 'hes-1' });
    expect(exported.status).toBe(200);
    expect(exported.body.wrapped).toBe(RFC3394.wrapped);
    const [event] = await events('skm.key.export');
    expect(event).toMatchObject({ actor: 'security-a', target: expect.stringContaining(METER.vector), outcome: 'success' });
    expect(JSON.parse(event!.details as unknown as string)).toMatchObject({ kind: 'dlms-guek', version: 1, recipient: 'hes-1', counterparty: 'head-end' });
  });

  it('generates a DLMS key set and a wM-Bus key in the HSM whose KCVs match the keys a head-end receives', async () => {
    const dlms = await call('post', `/v1/meters/${METER.dlms}/keys`, securityA, { type: 'dlms' });
    expect(dlms.status).toBe(201);
    expect(dlms.body.keys.map((key: { kind: string }) => key.kind)).toEqual(['dlms-guek', 'dlms-gbek', 'dlms-ak', 'dlms-kek']);
    for (const key of dlms.body.keys) {
      expect(key).toMatchObject({ version: 1, state: 'active', origin: 'generated', bits: 128 });
      expect(softwareKcv(await exportedClear(METER.dlms, key.kind))).toBe(key.kcv);
    }
    const wmbus = await call('post', `/v1/meters/${METER.wmbus.toLowerCase()}/keys`, securityA, { type: 'wmbus' });
    expect(wmbus.body.keys).toEqual([expect.objectContaining({ meterId: METER.wmbus, kind: 'wmbus', version: 1, state: 'active' })]);
    expectProblem(await call('post', `/v1/meters/${METER.dlms}/keys`, securityA, { type: 'dlms' }), 409, 'meterId', 'key.exists');
  });

  it('rotates keys as pending versions that become active only when the meter confirms; destroys erase the blob', async () => {
    const before = await exportedClear(METER.dlms, 'dlms-guek');
    const rotated = await call('post', `/v1/meters/${METER.dlms}/keys/rotation`, securityA, { kinds: ['dlms-guek', 'dlms-ak'] });
    expect(rotated.status).toBe(201);
    expect(rotated.body.keys).toEqual([expect.objectContaining({ kind: 'dlms-guek', version: 2, state: 'pending' }), expect.objectContaining({ kind: 'dlms-ak', version: 2, state: 'pending' })]);
    // Until the meter confirms, the active key is still the old one.
    expect(await exportedClear(METER.dlms, 'dlms-guek')).toEqual(before);
    expectProblem(await call('post', `/v1/meters/${METER.dlms}/keys/rotation`, securityA, { kinds: ['dlms-guek'] }), 409, 'kind', 'key.rotation-pending');

    const confirmed = await call('post', `/v1/meters/${METER.dlms}/keys/dlms-guek/confirmation`, operatorA);
    expect(confirmed.body).toMatchObject({ kind: 'dlms-guek', version: 2, state: 'active' });
    const after = await exportedClear(METER.dlms, 'dlms-guek');
    expect(after).not.toEqual(before);
    expect(softwareKcv(after)).toBe(rotated.body.keys[0].kcv);
    const states = (await call('get', `/v1/meters/${METER.dlms}/keys`, operatorA)).body.keys.filter((key: { kind: string }) => key.kind === 'dlms-guek');
    expect(states.map((key: { version: number; state: string }) => [key.version, key.state])).toEqual([[1, 'retired'], [2, 'active']]);
    // The operator confirms and reads but cannot take a key out.
    expect((await call('post', `/v1/meters/${METER.dlms}/keys/dlms-guek/export`, operatorA, { transportKey: 'hes-1' })).status).toBe(403);

    const destroyed = await call('delete', `/v1/meters/${METER.dlms}/keys/dlms-guek/1`, securityA);
    expect(destroyed.body.keys).toEqual([expect.objectContaining({ kind: 'dlms-guek', version: 1, state: 'destroyed' })]);
    const row = await skm.dataSource.getRepository(SkmMeterKey).findOneByOrFail({ meterId: METER.dlms, kind: 'dlms-guek', version: 1 });
    expect(row).toMatchObject({ wrapped: null, state: 'destroyed' });
    expectProblem(await call('post', `/v1/meters/${METER.dlms}/keys/dlms-guek/export`, securityA, { transportKey: 'hes-1', version: 1 }), 409, 'version', 'key.destroyed');
    expect((await events('skm.key.destroy')).map((event) => event.actor)).toEqual(['security-a']);
    expect((await events('skm.key.confirm')).map((event) => event.actor)).toEqual(['operator-a']);
  });

  it('refuses bad input with a problem naming field and rule, audits it, and changes nothing', async () => {
    const key = randomBytes(16);
    const wrapped = softwareWrap(RFC3394.kek, key).toString('hex');
    const rowsBefore = JSON.stringify(await keyRows());
    const refusedBefore = (await events('request.refused')).length;
    const cases: Array<[request.Response, number, string, string]> = [
      [await call('post', `/v1/meters/${METER.other}/keys/import`, securityA, { kind: 'wmbus', transportKey: 'hes-1', wrapped, kcv: 'ABCDEF' }), 422, 'kcv', 'key.check-value-mismatch'],
      [await call('post', `/v1/meters/${METER.other}/keys/import`, securityA, { kind: 'wmbus', transportKey: 'hes-1', wrapped: wrapped.slice(0, 32), kcv: softwareKcv(key) }), 400, 'wrapped', 'key.length'],
      [await call('post', `/v1/meters/${METER.other}/keys/import`, securityA, { kind: 'wmbus', transportKey: 'hes-1', wrapped: softwareWrap(RFC3394.kek, randomBytes(32)).toString('hex'), kcv: softwareKcv(key) }), 400, 'wrapped', 'key.length'],
      [await call('post', `/v1/meters/${METER.other}/keys/import`, securityA, { kind: 'wmbus', transportKey: 'hes-1', wrapped: `ff${wrapped.slice(2)}`, kcv: softwareKcv(key) }), 422, 'wrapped', 'key.unwrap-failed'],
      [await call('post', `/v1/meters/${METER.other}/keys`, securityA, { type: 'wmbus', bits: 256 }), 400, 'bits', 'key.length'],
      [await call('post', `/v1/meters/${METER.unknown}/keys/dlms-guek/export`, securityA, { transportKey: 'hes-1' }), 404, 'meterId', 'meter.unknown'],
      // Another tenant's meter is unknown to you, whatever you try with it.
      [await call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, securityB, { transportKey: 'hes-1' }), 404, 'meterId', 'meter.unknown'],
      [await call('delete', `/v1/meters/${METER.vector}/keys`, securityB), 404, 'meterId', 'meter.unknown'],
      [await call('post', `/v1/meters/${METER.vector}/keys/rotation`, securityB, {}), 404, 'meterId', 'meter.unknown'],
      [await call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, unbound, { transportKey: 'hes-1' }), 403, 'subject', 'tenant.member-required'],
    ];
    for (const [response, status, field, rule] of cases) expectProblem(response, status, field, rule);
    expectProblem(await call('post', `/v1/meters/4D4D/keys/import`, securityA, { kind: 'wmbus', transportKey: 'hes-1', wrapped, kcv: softwareKcv(key) }), 400, 'meterId', 'meter.id-format');
    expect(JSON.stringify(await keyRows())).toBe(rowsBefore);
    const refused = (await events('request.refused')).slice(refusedBefore).map((event) => JSON.parse(event.details as unknown as string).errors?.[0]?.rule);
    for (const [, , , rule] of cases) expect(refused).toContain(rule);
  });

  it('rotates the master key: every key re-wrapped inside the HSM, still usable, the old master destroyed', async () => {
    clearKeys.set('imported wmbus', randomBytes(16));
    expect((await importForA(METER.other, 'wmbus', clearKeys.get('imported wmbus')!)).status).toBe(201);
    const rotation = await call('post', '/v1/master-key/rotation', securityA);
    expect(rotation.body).toEqual({ fromVersion: 1, toVersion: 2, rewrapped: (await keyRows()).filter((row) => row.wrapped !== null).length });
    expect(await skm.hsm.km.findKey(skm.hsm.uri(`skm-master-${TENANT_A.marketPartnerId}-v1`))).toBeUndefined();
    expect(await skm.hsm.km.findKey(skm.hsm.uri(`skm-master-${TENANT_A.marketPartnerId}-v2`))).toMatchObject({ extractable: false });
    expect((await keyRows()).filter((row) => row.wrapped !== null).every((row) => row.masterVersion === 2)).toBe(true);
    expect((await call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, securityA, { transportKey: 'hes-1' })).body.wrapped).toBe(RFC3394.wrapped);
    expect(await exportedClear(METER.other, 'wmbus')).toEqual(clearKeys.get('imported wmbus'));
    expect((await call('get', '/v1/tenant', securityA)).body).toMatchObject({ masterVersion: 2, rotatingToVersion: null });
    expect((await events('skm.master.rotate')).map((event) => event.actor)).toEqual(['security-a']);
  });

  it('keeps keys readable while a master rotation re-wraps them batch by batch', async () => {
    // Batches of 2 so that the rotation takes many steps, with exports running between them.
    const rotation = new MasterKeyRotationService(skm.dataSource, skm.app.get(KEY_MANAGER), skm.app.get(AUDIT_TRAIL), { token: skm.hsm.token.label }, 2);
    const tenant = (await call('get', '/v1/tenant', securityA)).body;
    let done = false;
    const rotated = rotation.rotate(tenant.id, 'security-a').finally(() => (done = true));
    const exports: number[] = [];
    while (!done) {
      const [vector, wmbus] = await Promise.all([
        call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, securityA, { transportKey: 'hes-1' }),
        call('post', `/v1/meters/${METER.other}/keys/wmbus/export`, securityA, { transportKey: 'hes-1' }),
      ]);
      expect(vector.body.wrapped).toBe(RFC3394.wrapped);
      expect(softwareUnwrap(RFC3394.kek, Buffer.from(wmbus.body.wrapped, 'hex'))).toEqual(clearKeys.get('imported wmbus'));
      exports.push(vector.status, wmbus.status);
    }
    expect(await rotated).toMatchObject({ fromVersion: 2, toVersion: 3 });
    // At least the first round ran while the rotation was under way (how many more depends on the machine's load).
    expect(exports.length).toBeGreaterThanOrEqual(2);
    expect(new Set(exports)).toEqual(new Set([200]));
  });

  it('hands meters over to another tenant inside the HSM, all or nothing', async () => {
    const rowsBefore = JSON.stringify(await keyRows());
    expectProblem(await call('post', '/v1/provider-changes', securityA, { toTenant: TENANT_B.marketPartnerId, meterIds: [METER.vector, METER.unknown] }), 404, 'meterIds', 'meter.unknown');
    expect(JSON.stringify(await keyRows())).toBe(rowsBefore);

    const moved = await call('post', '/v1/provider-changes', securityA, { toTenant: TENANT_B.marketPartnerId, meterIds: [METER.vector, METER.dlms] });
    expect(moved.body).toEqual({ meters: 2, keys: 7 });
    expectProblem(await call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, securityA, { transportKey: 'hes-1' }), 404, 'meterId', 'meter.unknown');
    // Tenant B's head-end shares the same transport key: B's export is the vector again.
    const components = splitIntoComponents(RFC3394.kek);
    expect((await call('post', '/v1/transport-keys', securityB, { name: 'hes-1', counterparty: 'head-end', bits: 128, components })).status).toBe(201);
    expect((await call('post', `/v1/meters/${METER.vector}/keys/dlms-guek/export`, securityB, { transportKey: 'hes-1' })).body.wrapped).toBe(RFC3394.wrapped);
    expect((await call('get', `/v1/meters/${METER.dlms}/keys`, securityB)).body.keys).toHaveLength(6);
    expect(await exportedClear(METER.other, 'wmbus')).toEqual(clearKeys.get('imported wmbus'));
    const [event] = await events('skm.provider-change');
    expect(JSON.parse(event!.details as unknown as string)).toMatchObject({ fromTenant: TENANT_A.marketPartnerId, toTenant: TENANT_B.marketPartnerId, meters: 2, keys: 7 });
  });

  it('keeps every clear key out of the database, the logs and the answers', async () => {
    // More imported keys through every operation: import, export, rotation, confirmation, master rotation, hand-over.
    for (const [index, kind] of (['dlms-guek', 'dlms-ak', 'dlms-kek'] as const).entries()) {
      const meterId = `4D4D4D0000C0000${index}`;
      clearKeys.set(`imported ${kind}`, randomBytes(16));
      expect((await importForA(meterId, kind, clearKeys.get(`imported ${kind}`)!)).status).toBe(201);
      expect(await exportedClear(meterId, kind)).toEqual(clearKeys.get(`imported ${kind}`));
      expect((await call('post', `/v1/meters/${meterId}/keys/rotation`, securityA, {})).status).toBe(201);
    }
    expect((await call('post', '/v1/master-key/rotation', securityA)).status).toBe(200);
    expect((await call('post', '/v1/provider-changes', securityA, { toTenant: TENANT_B.marketPartnerId, meterIds: ['4D4D4D0000C00000'] })).status).toBe(200);
    expect((await call('post', '/v1/master-key/rotation', securityB)).status).toBe(200);

    const findings = [
      ...clearKeyFindings(`${dialect} database`, await databaseDump(skm.database), clearKeys),
      ...clearKeyFindings('logs', Buffer.from(skm.logs.join('\n'), 'latin1'), clearKeys),
      ...clearKeyFindings('answers', Buffer.from(answers.join('\n'), 'latin1'), clearKeys),
    ];
    expect(findings).toEqual([]);
    // The search does see what is there and not secret: the KCV in the database, the exported blob in the answers.
    expect((await databaseDump(skm.database)).includes(Buffer.from(softwareKcv(RFC3394.key)))).toBe(true);
    expect(clearKeyFindings('answers', Buffer.from(answers.join('\n'), 'latin1'), new Map([['blob', Buffer.from(RFC3394.wrapped, 'hex')]]))).toContain('answers: blob as HEX');
    expect(skm.logs.length).toBeGreaterThan(0);
  });
}
