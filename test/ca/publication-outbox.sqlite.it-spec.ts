/**
 * The outbox publisher on SQLite against an HTTP peer that records what it acknowledged: every outbox row (issued
 * and revoked certificates, full and delta CRLs) is delivered once, in order, as the entry docs/DIRECTORY.md
 * describes, and marked published; while the directory answers 503 or refuses connections nothing is marked,
 * and once it is back every row arrives, in order, none twice.
 */
import { createHash } from 'node:crypto';
import { HttpDirectoryClient, OutboxPublisher } from '@smpki/ca';
import { parseCertificate } from '@smpki/crypto';
import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { entryKey, METER_ID, openPublicationFixture, rowKey, type PublicationFixture } from './publication-fixture';
import { eventually, RecordingDirectory } from './publication-recording-directory';

describe('directory publication from the outbox on SQLite', () => {
  jest.setTimeout(60_000);
  let fixture: PublicationFixture;
  let directory: RecordingDirectory;
  const token = async () => 'test-publisher-token';

  beforeAll(async () => {
    fixture = await openPublicationFixture(sqliteTestDatabase);
    directory = await RecordingDirectory.start();
  }, 60_000);
  afterAll(async () => {
    await directory?.stop();
    await fixture?.dispose();
  });

  const publisherFor = (options: ConstructorParameters<typeof OutboxPublisher>[2] = {}) =>
    new OutboxPublisher(fixture.db.dataSource, new HttpDirectoryClient({ url: directory.url, token }), options);

  it('delivers every row once, oldest first, as directory entries, and marks it published', async () => {
    const user = await fixture.issueUserCertificate('pub-user');
    const meter = await fixture.issueMeterCertificate('pub-meter', METER_ID);
    await fixture.revoke(user.serial);
    await fixture.signCrl();
    await fixture.signDeltaCrl();
    // Oldest first is by created_at: a CRL's row carries its thisUpdate (whole seconds), so it may sort first.
    const rows = await fixture.outbox();
    expect(rows.map(rowKey).sort()).toEqual(
      [`market/certificate:${user.serial}`, `market/certificate:${user.serial}`, `calibration/certificate:${meter.serial}`, 'market/crl:1', 'market/crl:2'].sort(),
    );

    const publisher = publisherFor({ chunkSize: 2 });
    expect(await publisher.drain()).toBe(5);

    const [authorities, ...chunks] = directory.acknowledged;
    expect(authorities!.authorization).toBe('Bearer test-publisher-token');
    expect(authorities!.entries.map((entry) => [entry.kind, entry.ca, entry.dn])).toEqual([
      ['ca', 'calibration', 'cn=Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE'],
      ['ca', 'market', 'cn=Test-Metering.CA,o=SM-Test-PKI-DE,c=DE'],
    ]);
    expect(chunks.map((chunk) => chunk.entries.length)).toEqual([2, 2, 1]);
    const entries = chunks.flatMap((chunk) => chunk.entries);
    expect(entries.map(entryKey)).toEqual(rows.map(rowKey));

    const marketDn = authorities!.entries[1]!.dn;
    const entryOf = (key: string) => entries.filter((entry) => entryKey(entry) === key);
    const [issuedUser, revokedUser] = entryOf(`market/certificate:${user.serial}`);
    const [issuedMeter] = entryOf(`calibration/certificate:${meter.serial}`);
    const [full] = entryOf('market/crl:1');
    const [delta] = entryOf('market/crl:2');
    expect(issuedMeter).toEqual({
      kind: 'certificate',
      ca: 'calibration',
      dn: `serialNumber=${METER_ID},cn=Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE`,
      certificate: meter.der.toString('base64'),
      serial: meter.serial,
      fingerprint: createHash('sha256').update(meter.der).digest('hex'),
      commonName: METER_ID,
      meterId: METER_ID,
      revoked: false,
      version: expect.any(String),
    });
    // Published with its current state: revoked already when its issuance row goes out.
    expect(issuedUser).toMatchObject({ kind: 'certificate', ca: 'market', dn: `cn=Company-Test.EMT.MAK+serialNumber=${user.serial},${marketDn}`, revoked: true });
    expect(revokedUser).toEqual(issuedUser);
    expect(full).toMatchObject({ kind: 'crl', ca: 'market', dn: marketDn, crlNumber: 1 });
    expect(delta).toMatchObject({ kind: 'delta-crl', ca: 'market', dn: marketDn, crlNumber: 2 });
    expect(parseCertificate(Buffer.from(issuedMeter!.kind === 'certificate' ? issuedMeter!.certificate : '', 'base64')).subject.get('serialNumber')).toBe(METER_ID);

    expect((await fixture.outbox()).every((row) => row.publishedAt !== null)).toBe(true);
    expect(await publisher.status()).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
    // Nothing left: a further run sends nothing.
    expect(await publisher.publishOnce()).toBe(0);
    expect(directory.acknowledged).toHaveLength(4);
  });

  it('keeps rows pending while the directory answers 503 or refuses connections, then delivers them in order, none twice', async () => {
    directory.acknowledged.length = 0;
    const earlier = new Set((await fixture.outbox()).map((row) => row.id));
    directory.failWith = 503;
    const failures: string[] = [];
    const publisher = publisherFor({ chunkSize: 3, idlePollMs: 10, backoff: { initialMs: 5, maxMs: 40 }, onError: (error) => failures.push(error.message) });
    publisher.start();
    try {
      const first = await fixture.issueUserCertificate('down-1');
      await fixture.issueUserCertificate('down-2');
      await eventually(() => directory.refused >= 3, 'three refused attempts');
      const during = await publisher.status();
      expect(during.pending).toBe(2);
      expect(during.lastError).toContain('503');

      await directory.refuseConnections();
      await fixture.revoke(first.serial);
      await fixture.signCrl();
      const failedBefore = failures.length;
      await eventually(() => failures.length >= failedBefore + 3, 'three failed connection attempts');
      expect(failures.at(-1)).toMatch(/not reachable/);
      expect((await publisher.status()).pending).toBe(4);
      expect(directory.acknowledged).toHaveLength(0);

      directory.failWith = undefined;
      await directory.acceptConnections();
      for (let index = 3; index <= 6; index++) await fixture.issueUserCertificate(`down-${index}`);
      await eventually(async () => (await publisher.status()).pending === 0, 'every row published');
    } finally {
      await publisher.stop();
    }
    const published = directory.entries().filter((entry) => entry.kind !== 'ca');
    const rows = (await fixture.outbox()).filter((row) => !earlier.has(row.id));
    expect(rows).toHaveLength(8);
    expect(published.map(entryKey)).toEqual(rows.map(rowKey));
    expect(await publisher.status()).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
  });

  it('sends smaller chunks while the directory refuses one as too large (413), and still delivers every row in order', async () => {
    directory.acknowledged.length = 0;
    const earlier = new Set((await fixture.outbox()).map((row) => row.id));
    for (let index = 1; index <= 7; index++) await fixture.issueUserCertificate(`large-${index}`);
    directory.maxEntries = 2;
    const publisher = publisherFor({ chunkSize: 8, idlePollMs: 10, backoff: { initialMs: 5, maxMs: 40 } });
    publisher.start();
    try {
      await eventually(async () => (await publisher.status()).pending === 0, 'every row published in smaller chunks');
    } finally {
      await publisher.stop();
      directory.maxEntries = undefined;
    }
    const rows = (await fixture.outbox()).filter((row) => !earlier.has(row.id));
    expect(directory.entries().filter((entry) => entry.kind !== 'ca').map(entryKey)).toEqual(rows.map(rowKey));
    expect(Math.max(...directory.acknowledged.map((request) => request.entries.length))).toBeLessThanOrEqual(2);
  });
});
