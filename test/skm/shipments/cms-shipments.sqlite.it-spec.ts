/**
 * Key shipments as CMS envelopes through the SKM's HTTP API on SoftHSM2: shipments made by `openssl cms -encrypt`
 * (X9.63 KDF with SHA-1 and SHA-256) imported, keys usable, re-import idempotent, bad shipments refused with nothing
 * stored, an export opened by `openssl cms -decrypt`, and no clear key in the database, the logs or any answer.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEvent } from '@smpki/audit';
import { packShipment, SkmMeterKey, type ClearShipmentKey } from '@smpki/skm';
import request from 'supertest';
import { clearKeyFindings } from '../support/clear-key-search';
import { databaseDump } from '../support/database-dump';
import { softwareKcv, softwareUnwrap, splitIntoComponents } from '../support/skm-crypto';
import { startSkm, type RunningSkm } from '../support/start-skm';

const TRANSPORT = randomBytes(16);

function meterId(n: number): string {
  return `4D4D${n.toString(16).toUpperCase().padStart(12, '0')}`;
}

function clearKeys(first: number, count: number): ClearShipmentKey[] {
  return [...Array(count).keys()].map((i) => ({ meterId: meterId(first + i), kind: i % 2 === 0 ? 'wmbus' : 'dlms-guek', key: randomBytes(16) }));
}

describe('SKM key shipments in CMS envelopes (SoftHSM2, SQLite)', () => {
  let skm: RunningSkm;
  let dir: string;
  let admin: string;
  let security: string;
  const answers: string[] = [];
  const known = new Map<string, Buffer>();

  beforeAll(async () => {
    skm = await startSkm('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'smpki-shipments-'));
    [admin, security] = await Promise.all([skm.token('admin-1', ['administrator']), skm.token('security-a', ['msp-security-manager'])]);
    const tenant = await call('post', '/v1/tenants', admin, { name: 'MSP A', marketPartnerId: '9900000000019' });
    await call('post', `/v1/tenants/${tenant.body.id}/members`, admin, { subject: 'security-a' });
    const transport = await call('post', '/v1/transport-keys', security, { name: 'hes-1', counterparty: 'head-end', bits: 128, components: splitIntoComponents(TRANSPORT) });
    expect(transport.status).toBe(201);
    // Public: a manufacturer fetches it without an account at the SKM.
    const certificate = await request(skm.app.getHttpServer()).get('/v1/encryption-certificate');
    expect(certificate.status).toBe(200);
    writeFileSync(join(dir, 'skm-enc.pem'), certificate.text);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1', '-nodes', '-keyout', join(dir, 'other.key'), '-out', join(dir, 'other.pem'), '-subj', '/CN=other', '-days', '2'], { stdio: 'ignore' });
  }, 60_000);

  afterAll(async () => {
    await skm?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: 'get' | 'post', path: string, token: string, body?: object): Promise<request.Response> {
    const pending = request(skm.app.getHttpServer())[method](path).set({ Authorization: `Bearer ${token}` });
    const response = body === undefined ? await pending : await pending.send(body);
    answers.push(response.text);
    return response;
  }

  /** `openssl cms -encrypt` of the packed shipment to a certificate, DER. */
  function opensslEnvelope(content: Buffer, kdf: 'sha1' | 'sha256', recipient = 'skm-enc.pem'): Buffer {
    const input = join(dir, 'shipment.bin');
    writeFileSync(input, content);
    return execFileSync('openssl', ['cms', '-encrypt', '-binary', '-aes128', '-recip', join(dir, recipient), '-keyopt', `ecdh_kdf_md:${kdf}`, '-in', input, '-outform', 'DER']);
  }

  function remember(keys: ClearShipmentKey[]): void {
    for (const key of keys) known.set(`${key.meterId} ${key.kind}`, key.key);
  }

  const importEnvelope = (envelope: Buffer, extra: object = {}) => call('post', '/v1/shipments/import', security, { envelope: envelope.toString('base64'), ...extra });
  const keyRows = () => skm.dataSource.getRepository(SkmMeterKey).count();

  function expectRefused(response: request.Response, status: number, rule: string): void {
    expect({ status: response.status, rules: response.body.errors?.map((error: { rule: string }) => error.rule) }).toEqual({ status, rules: expect.arrayContaining([rule]) });
    expect(response.headers['content-type']).toContain('application/problem+json');
  }

  async function exportedClear(key: ClearShipmentKey): Promise<Buffer> {
    const exported = await call('post', `/v1/meters/${key.meterId}/keys/${key.kind}/export`, security, { transportKey: 'hes-1' });
    expect(exported.status).toBe(200);
    return softwareUnwrap(TRANSPORT, Buffer.from(exported.body.wrapped, 'hex'));
  }

  it.each([['sha256' as const, 1], ['sha1' as const, 101]])('imports a shipment made by openssl cms -encrypt (%s KDF), keys usable, re-import all existing', async (kdf, first) => {
    const keys = clearKeys(first, 6);
    remember(keys);
    const envelope = opensslEnvelope(packShipment(keys), kdf);
    const imported = await importEnvelope(envelope);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ total: 6, from: 0 });
    expect(imported.body.results.map((r: { status: string; kcv: string }) => [r.status, r.kcv])).toEqual(keys.map((key) => ['imported', softwareKcv(key.key)]));
    for (const key of keys) expect((await exportedClear(key)).equals(key.key)).toBe(true);

    const again = await importEnvelope(envelope);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(Array(6).fill('existing'));
    // In slices, as the command-line client sends them for its progress bar.
    const slice = await importEnvelope(envelope, { from: 4, count: 5 });
    expect(slice.body.results.map((r: { index: number; status: string }) => [r.index, r.status])).toEqual([[4, 'existing'], [5, 'existing']]);
  });

  it('takes a production batch well over 100 kB in one request (3,000 keys, about 200 kB of base64)', async () => {
    const keys = clearKeys(1001, 3000);
    const envelope = opensslEnvelope(packShipment(keys), 'sha256');
    expect(envelope.toString('base64').length).toBeGreaterThan(150_000);
    const imported = await importEnvelope(envelope);
    expect(imported.status).toBe(200);
    expect(imported.body.results.filter((r: { status: string }) => r.status === 'imported')).toHaveLength(3000);
    remember(keys.slice(0, 3));
  }, 120_000);

  it('refuses tampered, truncated, misaddressed and inconsistent shipments and stores nothing', async () => {
    const before = await keyRows();
    const keys = clearKeys(201, 3);
    const envelope = opensslEnvelope(packShipment(keys), 'sha256');
    // The content is the last 176 bytes (11 blocks): CBC garbles the block whose ciphertext changed.
    const tamperedKey = Buffer.from(envelope);
    tamperedKey[tamperedKey.length - 176 + 3 * 16]! ^= 0x01; // key block of entry 0
    expectRefused(await importEnvelope(tamperedKey), 422, 'key.check-value-mismatch');
    const tamperedKind = Buffer.from(envelope);
    tamperedKind[tamperedKind.length - 176 + 2 * 16]! ^= 0x01; // kind/KCV block of entry 0
    expectRefused(await importEnvelope(tamperedKind), 422, 'shipment.reserved-not-zero');
    expectRefused(await importEnvelope(envelope.subarray(0, envelope.length - 20)), 400, 'shipment.malformed');
    expectRefused(await importEnvelope(opensslEnvelope(packShipment(keys), 'sha256', 'other.pem')), 422, 'shipment.wrong-recipient');

    const wrongKcv = packShipment([keys[0]!, { ...keys[1]!, kcv: '000000' }, keys[2]!]);
    expectRefused(await importEnvelope(opensslEnvelope(wrongKcv, 'sha1')), 422, 'key.check-value-mismatch');
    expectRefused(await importEnvelope(opensslEnvelope(packShipment([keys[0]!, keys[1]!, keys[0]!]), 'sha256')), 422, 'shipment.duplicate');
    const unknownKind = packShipment(keys);
    unknownKind[16 + 16 * 4] = 0x7f; // kind byte of entry 1
    expectRefused(await importEnvelope(opensslEnvelope(unknownKind, 'sha256')), 422, 'key.kind-unknown');
    // A meter that holds another key of that kind.
    const clash = [{ ...keys[0]!, meterId: meterId(1), kind: 'wmbus' as const }];
    expectRefused(await importEnvelope(opensslEnvelope(packShipment(clash), 'sha256')), 422, 'key.exists');
    expect(await keyRows()).toBe(before);
    const refusals = await skm.dataSource.getRepository(AuditEvent).find({ where: { action: 'request.refused' } });
    expect(refusals.length).toBeGreaterThanOrEqual(7);
  });

  it('exports keys in a CMS envelope that openssl cms -decrypt opens, audited with the recipient certificate', async () => {
    const chosen = [...known.keys()].slice(0, 4).map((name) => name.split(' ')[0]!);
    const recipient = readFileSync(join(dir, 'other.pem'), 'utf8');
    const exported = await call('post', '/v1/shipments/export', security, { meterIds: chosen, certificate: recipient, kdf: 'SHA-1' });
    expect(exported.status).toBe(200);
    writeFileSync(join(dir, 'export.p7m'), Buffer.from(exported.body.envelope, 'base64'));
    const content = execFileSync('openssl', ['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', join(dir, 'export.p7m'), '-inkey', join(dir, 'other.key')]);
    const expected = exported.body.keys.map((key: { meterId: string; kind: string; kcv: string }) => ({ meterId: key.meterId, kind: key.kind, key: known.get(`${key.meterId} ${key.kind}`)! }));
    expect(content.equals(packShipment(expected))).toBe(true);
    const [event] = await skm.dataSource.getRepository(AuditEvent).find({ where: { action: 'skm.shipment.export' } });
    expect(event).toMatchObject({ actor: 'security-a', outcome: 'success' });
    expect(JSON.stringify(event!.details)).toContain('recipientCertificateSha256');
  });

  it('leaves no clear key in the database, the logs or any answer', async () => {
    expect(known.size).toBeGreaterThan(0);
    const findings = [
      ...clearKeyFindings('database', await databaseDump(skm.database), known),
      ...clearKeyFindings('logs', Buffer.from(skm.logs.join('\n')), known),
      ...clearKeyFindings('answers', Buffer.from(answers.join('\n')), known),
    ];
    expect(findings).toEqual([]);
  });
});
