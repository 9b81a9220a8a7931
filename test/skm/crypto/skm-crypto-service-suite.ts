/**
 * The crypto service for head-end systems that hold no keys, and the DLMS key change, through HTTP on SoftHSM2 and
 * one database (skm-crypto-service.{sqlite,postgres}.it-spec.ts). The vectors of domain.md §3-4 are reproduced through
 * the service: keys imported the ordinary way (wrapped under a transport key entered from components), then the
 * Green Book APDU, the OMS mode 5 / mode 7 telegrams and RFC 3394 inside a global_key_transfer parameter. Replayed
 * counters and bad tags/MACs are refused (problem+json, audited) and change nothing.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { AuditEvent } from '@smpki/audit';
import { SkmInvocationCounter, SkmMeterKey } from '@smpki/skm';
import request from 'supertest';
import { softwareKcv, softwareUnwrap, softwareWrap, splitIntoComponents } from '../support/skm-crypto';
import { startSkm, type RunningSkm, type SkmDialect } from '../support/start-skm';

const hex = (value: string): Buffer => Buffer.from(value, 'hex');
const GREEN_BOOK = {
  ek: hex('000102030405060708090A0B0C0D0E0F'),
  ak: hex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF'),
  systemTitle: '4D4D4D0000BC614E',
  counter: 0x01234567,
  plaintext: 'C0010000080000010000FF0200',
  apdu: 'C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B',
};
const OMS = {
  mode5Key: hex('0102030405060708090A0B0C0D0E0F11'),
  mode5: '2E4493157856341233037A2A0020255923C95AAA26D1B2E7493B013EC4A6F6D3529B520EDFF0EA6DEFC99D6D69EBF3',
  mode7Key: hex('000102030405060708090A0B0C0D0E0F'),
  mode7: '434493157856341233038C2075900F002C25B30A000021924D4F2FB66E017A75002007109058475F4BC91DF878B80A1B0F98B629024AAC727942BFC549233C0140829B93',
  plaintext: '2F2F0C1427048502046D32371F1502FD1700002F2F2F2F2F2F2F2F2F2F2F2F2F',
};
const RFC3394 = { kek: hex('000102030405060708090A0B0C0D0E0F'), key: hex('00112233445566778899AABBCCDDEEFF'), wrapped: '1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5' };
// The two OMS vectors come from one meter (same M and A fields) with two keys: the mode 7 key is held under a second
// meter id. The telegram's own address enters the IV (mode 5) and the KDF (mode 7), so the key still decrypts it.
const METER = { dlms: GREEN_BOOK.systemTitle, mode5: '9315785634123303', mode7: '9315785634123399', kek: '4D4D4D0000BC6150', scratch: '4D4D4D0000BC6151' };

export function skmCryptoServiceSuite(dialect: SkmDialect): void {
  jest.setTimeout(60_000);
  let skm: RunningSkm;
  let security: string;
  let hes: string;
  let otherHes: string;
  let unbound: string;
  const transportKey = randomBytes(16);

  beforeAll(async () => {
    skm = await startSkm(dialect);
    const admin = await skm.token('admin-1', ['administrator']);
    [security, hes, otherHes, unbound] = await Promise.all([
      skm.token('security-a', ['msp-security-manager']),
      skm.token('hes-a', ['msp-operator']),
      skm.token('hes-b', ['msp-operator']),
      skm.token('hes-nobody', ['msp-operator']),
    ]);
    const a = await call('post', '/v1/tenants', admin, { name: 'MSB A', marketPartnerId: '9900000000019' });
    const b = await call('post', '/v1/tenants', admin, { name: 'MSB B', marketPartnerId: '9900000000026' });
    for (const [tenant, subject] of [[a, 'security-a'], [a, 'hes-a'], [b, 'hes-b']] as const) {
      expect((await call('post', `/v1/tenants/${tenant.body.id}/members`, admin, { subject })).status).toBe(201);
    }
    const created = await call('post', '/v1/transport-keys', security, { name: 'mfr', counterparty: 'manufacturer', bits: 128, components: splitIntoComponents(transportKey) });
    expect(created.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await skm?.close();
  });

  async function call(method: 'get' | 'post', path: string, token: string, body?: object): Promise<request.Response> {
    const pending = request(skm.app.getHttpServer())[method](path).set({ Authorization: `Bearer ${token}` });
    return body === undefined ? pending : pending.send(body);
  }

  async function importKey(meterId: string, kind: string, key: Buffer): Promise<void> {
    const response = await call('post', `/v1/meters/${meterId}/keys/import`, security, { kind, transportKey: 'mfr', wrapped: softwareWrap(transportKey, key).toString('hex'), kcv: softwareKcv(key) });
    expect(response.status).toBe(201);
  }

  function expectProblem(response: request.Response, status: number, field: string, rule: string): void {
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status, errors: [expect.objectContaining({ field, rule })] });
    expect(response.headers['content-type']).toContain('application/problem+json');
  }

  const refusedRules = async (): Promise<string[]> =>
    (await skm.dataSource.getRepository(AuditEvent).find({ where: { action: 'request.refused' }, order: { seq: 'ASC' } as never })).map(
      (event) => JSON.parse(event.details as unknown as string).errors?.[0]?.rule,
    );

  /** What the meter does: suite 0 authenticated encryption with its clear keys (software, test side only). */
  function meterFrame(counter: number, plaintext: Buffer): string {
    const iv = Buffer.concat([hex(GREEN_BOOK.systemTitle), Buffer.alloc(4)]);
    iv.writeUInt32BE(counter, 8);
    const cipher = createCipheriv('aes-128-gcm', GREEN_BOOK.ek, iv, { authTagLength: 12 });
    cipher.setAAD(Buffer.concat([Buffer.from([0x30]), GREEN_BOOK.ak]));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const header = Buffer.alloc(5);
    header[0] = 0x30;
    header.writeUInt32BE(counter, 1);
    const inner = Buffer.concat([header, ciphertext, cipher.getAuthTag()]);
    return Buffer.concat([Buffer.from([0xcc, inner.length]), inner]).toString('hex');
  }

  describe('DLMS suite 0', () => {
    beforeAll(async () => {
      await importKey(METER.dlms, 'dlms-guek', GREEN_BOOK.ek);
      await importKey(METER.dlms, 'dlms-ak', GREEN_BOOK.ak);
    });

    it('protects the Green Book APDU exactly, and never uses an invocation counter twice', async () => {
      const body = { apdu: GREEN_BOOK.plaintext, securityControl: 0x30, systemTitle: GREEN_BOOK.systemTitle, invocationCounter: GREEN_BOOK.counter };
      const vector = await call('post', `/v1/dlms/${METER.dlms}/protect`, hes, body);
      expect(vector.status).toBe(200);
      expect(vector.body).toEqual({ apdu: GREEN_BOOK.apdu, invocationCounter: GREEN_BOOK.counter });
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/protect`, hes, body), 409, 'invocationCounter', 'dlms.counter-replayed');
      // Without a counter, the SKM takes the next one of its own.
      const next = await call('post', `/v1/dlms/${METER.dlms}/protect`, hes, { ...body, invocationCounter: undefined });
      expect(next.body.invocationCounter).toBe(GREEN_BOOK.counter + 1);
      expect(next.body.apdu.slice(0, 14)).toBe(`C81E30${(GREEN_BOOK.counter + 1).toString(16).toUpperCase().padStart(8, '0')}`);
    });

    it('unprotects the Green Book APDU and refuses it replayed, a stale counter and a bad tag (audited)', async () => {
      const first = await call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: GREEN_BOOK.apdu });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ apdu: GREEN_BOOK.plaintext, securityControl: 0x30, invocationCounter: GREEN_BOOK.counter });
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: GREEN_BOOK.apdu }), 409, 'invocationCounter', 'dlms.counter-replayed');
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: meterFrame(GREEN_BOOK.counter - 1, hex('C4')) }), 409, 'invocationCounter', 'dlms.counter-replayed');
      const forged = meterFrame(GREEN_BOOK.counter + 5, hex(GREEN_BOOK.plaintext));
      const tampered = forged.slice(0, -2) + (forged.endsWith('00') ? '01' : '00');
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: tampered }), 422, 'apdu', 'dlms.authentication-failed');
      // The forged frame did not advance the counter: the genuine one with the same counter is accepted.
      expect((await call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: forged })).status).toBe(200);
      expect(await refusedRules()).toEqual(expect.arrayContaining(['dlms.counter-replayed', 'dlms.authentication-failed']));
      const counters = await skm.dataSource.getRepository(SkmInvocationCounter).find({ where: { meterId: METER.dlms }, order: { direction: 'ASC' } });
      expect(counters.map(({ keyId, direction, lastCounter }) => ({ keyId, direction, lastCounter }))).toEqual([
        { keyId: 'dlms-guek/v1', direction: 'received', lastCounter: GREEN_BOOK.counter + 5 },
        { keyId: 'dlms-guek/v1', direction: 'sent', lastCounter: GREEN_BOOK.counter + 1 },
      ]);
    });

    it('accepts a counter once when replicas receive the same frame at the same time', async () => {
      const frame = meterFrame(GREEN_BOOK.counter + 100, hex('C4'));
      const answers = await Promise.all(Array.from({ length: 6 }, () => call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: frame })));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    });

    it("refuses another tenant's head-end, a caller bound to no tenant and malformed APDUs", async () => {
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/unprotect`, otherHes, { apdu: GREEN_BOOK.apdu }), 404, 'meterId', 'meter.unknown');
      expect((await call('post', `/v1/dlms/${METER.dlms}/unprotect`, unbound, { apdu: GREEN_BOOK.apdu })).status).toBe(403);
      expect((await call('post', `/v1/dlms/${METER.dlms}/protect`, security, { apdu: '00', securityControl: 0x30, systemTitle: METER.dlms })).status).toBe(403);
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/unprotect`, hes, { apdu: 'C81E3001' }), 400, 'apdu', 'dlms.malformed');
      expectProblem(await call('post', `/v1/dlms/${METER.dlms}/protect`, hes, { apdu: 'C0', securityControl: 0x31, systemTitle: METER.dlms }), 400, 'apdu', 'dlms.unsupported');
    });
  });

  describe('OMS', () => {
    beforeAll(async () => {
      await importKey(METER.mode5, 'wmbus', OMS.mode5Key);
      await importKey(METER.mode7, 'wmbus', OMS.mode7Key);
    });

    it('decrypts the mode 5 vector', async () => {
      const response = await call('post', `/v1/oms/${METER.mode5}/decrypt`, hes, { telegram: OMS.mode5 });
      expect(response.status).toBe(200);
      expect(response.body.mode).toBe(5);
      expect(response.body.plaintext.startsWith(OMS.plaintext)).toBe(true);
    });

    it('decrypts the mode 7 vector once, refuses it replayed and with a bad MAC (audited)', async () => {
      const response = await call('post', `/v1/oms/${METER.mode7}/decrypt`, hes, { telegram: OMS.mode7 });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ mode: 7, counter: 0x0ab3 });
      expect(response.body.plaintext.startsWith(OMS.plaintext)).toBe(true);
      expectProblem(await call('post', `/v1/oms/${METER.mode7}/decrypt`, hes, { telegram: OMS.mode7 }), 409, 'telegram', 'oms.counter-replayed');
      const badMac = OMS.mode7.replace('21924D4F2FB66E01', '21924D4F2FB66E02');
      expectProblem(await call('post', `/v1/oms/${METER.mode7}/decrypt`, hes, { telegram: badMac }), 422, 'telegram', 'oms.mac-invalid');
      expectProblem(await call('post', `/v1/oms/${METER.mode5}/decrypt`, hes, { telegram: OMS.mode7 }), 422, 'telegram', 'oms.mac-invalid');
      expect(await refusedRules()).toEqual(expect.arrayContaining(['oms.counter-replayed', 'oms.mac-invalid']));
    });
  });

  describe('DLMS key change (global_key_transfer)', () => {
    beforeAll(async () => {
      await importKey(METER.kek, 'dlms-kek', RFC3394.kek);
      await importKey(METER.kek, 'dlms-guek', randomBytes(16));
      await importKey(METER.scratch, 'dlms-guek', RFC3394.key);
    });

    it("creates pending versions wrapped under the meter's KEK; the parameter carries them until the meter confirms", async () => {
      const response = await call('post', `/v1/meters/${METER.kek}/keys/transfer`, security, { kinds: ['dlms-guek'] });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ reissued: false, kek: { kind: 'dlms-kek', version: 1, state: 'active' }, keys: [{ kind: 'dlms-guek', version: 2, state: 'pending' }] });
      const parameter = hex(response.body.globalKeyTransfer);
      // array[1] of structure { enum key_id 0, octet-string[24] }
      expect(parameter.subarray(0, 8).toString('hex')).toBe('0101020216000918');
      expect(softwareKcv(softwareUnwrap(RFC3394.kek, parameter.subarray(8)))).toBe(response.body.keys[0].kcv);
      expectProblem(await call('post', `/v1/meters/${METER.kek}/keys/transfer`, security, { kinds: ['wmbus'] }), 400, 'kinds', 'isIn');
    });

    it('reproduces RFC 3394 inside the parameter, then activates the key on confirmation', async () => {
      // The HSM generates new keys at random: the test puts the vector key (imported through the service for a
      // scratch meter, so wrapped under the same tenant master) into the pending version, then asks again.
      const rows = skm.dataSource.getRepository(SkmMeterKey);
      const vector = await rows.findOneByOrFail({ meterId: METER.scratch, kind: 'dlms-guek' });
      await rows.update({ meterId: METER.kek, kind: 'dlms-guek', version: 2 }, { wrapped: vector.wrapped, masterVersion: vector.masterVersion, kcv: vector.kcv });
      const again = await call('post', `/v1/meters/${METER.kek}/keys/transfer`, security, { kinds: ['dlms-guek'] });
      expect(again.body).toMatchObject({ reissued: true, keys: [{ version: 2, state: 'pending' }] });
      expect(again.body.globalKeyTransfer).toBe(`0101020216000918${RFC3394.wrapped}`);
      const confirmed = await call('post', `/v1/meters/${METER.kek}/keys/dlms-guek/confirmation`, hes);
      expect(confirmed.body).toMatchObject({ version: 2, state: 'active' });
      const events = await skm.dataSource.getRepository(AuditEvent).find({ where: { action: 'skm.key.transfer' } });
      expect(events.map((event) => JSON.parse(event.details as unknown as string).reissued).sort()).toEqual([false, true]);
    });
  });
}
