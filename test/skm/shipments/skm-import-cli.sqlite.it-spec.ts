/**
 * The SKM import commands against the SKM over real HTTP (SoftHSM2, SQLite): `smpki skm import-wrapped` (a CSV of
 * transport-key-wrapped keys sent in slices, refused lines reported with their rule and exit code 1, a re-run finding
 * every key held) and `smpki skm import` (an openssl-made CMS shipment in slices, two in flight).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packShipment } from '@smpki/skm';
import request from 'supertest';
import { skmImport } from '../../../apps/cli/src/skm/shipment-commands';
import { skmImportWrapped } from '../../../apps/cli/src/skm/wrapped-import-command';
import { softwareKcv, softwareWrap, splitIntoComponents } from '../support/skm-crypto';
import { startSkm, type RunningSkm } from '../support/start-skm';

const TRANSPORT = randomBytes(16);

describe('smpki skm import-wrapped (SoftHSM2, SQLite)', () => {
  let skm: RunningSkm;
  let dir: string;
  let token: string;
  let url: string;

  beforeAll(async () => {
    skm = await startSkm('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'smpki-import-wrapped-'));
    const admin = await skm.token('admin-1', ['administrator']);
    token = await skm.token('security-a', ['msp-security-manager']);
    const server = skm.app.getHttpServer();
    const tenant = await request(server).post('/v1/tenants').set({ Authorization: `Bearer ${admin}` }).send({ name: 'MSP A', marketPartnerId: '9900000000019' });
    await request(server).post(`/v1/tenants/${tenant.body.id}/members`).set({ Authorization: `Bearer ${admin}` }).send({ subject: 'security-a' });
    const transport = await request(server).post('/v1/transport-keys').set({ Authorization: `Bearer ${token}` }).send({ name: 'mfr-1', counterparty: 'manufacturer', bits: 128, components: splitIntoComponents(TRANSPORT) });
    expect(transport.status).toBe(201);
    await skm.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await skm?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a CSV in slices, reports refused lines, and a re-run finds every key held', async () => {
    const lines = ['meterId,kind,wrapped,kcv'];
    for (let n = 0; n < 7; n++) {
      const key = randomBytes(16);
      const kcv = n === 4 ? '000000' : softwareKcv(key);
      lines.push(`6F6F${n.toString(16).padStart(12, '0')},wmbus,${softwareWrap(TRANSPORT, key).toString('hex')},${kcv}`);
    }
    const file = join(dir, 'keys.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const output: string[] = [];
    const options = { url, file, token, transportKey: 'mfr-1', slice: '3' };
    expect(await skmImportWrapped(options, (line) => output.push(line))).toBe(1);
    expect(output).toEqual([expect.stringMatching(/^line 5: 6F6F000000000004 wmbus refused \(key\.check-value-mismatch\)/), '7 keys: 6 imported, 0 already held, 1 refused']);
    output.length = 0;
    expect(await skmImportWrapped(options, (line) => output.push(line))).toBe(1);
    expect(output.at(-1)).toBe('7 keys: 0 imported, 6 already held, 1 refused');
  });

  it('stops at a malformed line before sending anything', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, '6F6F000000000100,wmbus,zz,123456\n');
    await expect(skmImportWrapped({ url, file, token, transportKey: 'mfr-1', slice: '3' }, () => undefined)).rejects.toThrow(/bad\.csv:1: the wrapped key must be hex/);
  });

  it('imports an openssl cms shipment in slices, two in flight, and a re-run finds every key held', async () => {
    writeFileSync(join(dir, 'skm-enc.pem'), (await request(skm.app.getHttpServer()).get('/v1/encryption-certificate')).text);
    const keys = [...Array(11).keys()].map((n) => ({ meterId: `7A7A${n.toString(16).padStart(12, '0')}`, kind: 'wmbus' as const, key: randomBytes(16) }));
    writeFileSync(join(dir, 'shipment.bin'), packShipment(keys));
    const file = join(dir, 'shipment.p7m');
    execFileSync('openssl', ['cms', '-encrypt', '-binary', '-aes128', '-recip', join(dir, 'skm-enc.pem'), '-keyopt', 'ecdh_kdf_md:sha256', '-in', join(dir, 'shipment.bin'), '-outform', 'DER', '-out', file]);
    const output: string[] = [];
    expect(await skmImport({ url, file, token, slice: '2' }, (line) => output.push(line))).toBe(0);
    expect(await skmImport({ url, file, token, slice: '4' }, (line) => output.push(line))).toBe(0);
    expect(output).toEqual(['11 keys: 11 imported, 0 already held', '11 keys: 0 imported, 11 already held']);
  });
});
