/**
 * DirectoryStore on a migrated database (SQLite and PostgreSQL run the same suite): the ingest's upsert is
 * idempotent, ordered per entry (version for certificates, CRL number for CRLs), and the LDAP reads page by scope.
 */
import { DirectoryEntry, DirectoryStore, type DirectoryItem } from '@smpki/directory';
import type { TestDatabase, TestDatabaseFactory } from '../../persistence/support/test-databases';

const CA_DN = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';

const der = (text: string) => Buffer.from(`0${text}`).toString('base64');

function meter(id: string, version: string, revoked = false, certificate = `cert-${id}`): DirectoryItem {
  return { kind: 'certificate', ca: 'calibration', dn: `serialNumber=${id},${CA_DN}`, certificate: der(certificate), serial: 'ab', fingerprint: 'f'.repeat(64), meterId: id, revoked, version };
}

const crl = (crlNumber: number, kind: 'crl' | 'delta-crl' = 'crl'): DirectoryItem => ({ kind, ca: 'calibration', dn: CA_DN, crl: der(`crl-${crlNumber}`), crlNumber, version: T1 });
const ca = (version: string): DirectoryItem => ({ kind: 'ca', ca: 'calibration', dn: CA_DN, certificate: der('ca'), version });

export function directoryStoreSuite(openDatabase: TestDatabaseFactory): void {
  let database: TestDatabase;
  let store: DirectoryStore;
  const rows = () => database.dataSource.getRepository(DirectoryEntry).find({ order: { dnKey: 'ASC' } });

  beforeEach(async () => {
    database = await openDatabase();
    store = new DirectoryStore(database.dataSource);
  });
  afterEach(() => database.remove());

  it('applies the same batch twice to the same state', async () => {
    const batch = [ca(T1), crl(1), meter('1EMH0000000001', T1), meter('1EMH0000000002', T1)];
    expect(await store.apply(batch)).toEqual({ applied: 4, unchanged: 0 });
    const first = await rows();
    expect(await store.apply(batch)).toEqual({ applied: 4, unchanged: 4 });
    expect(await rows()).toEqual(first);
    expect(first).toHaveLength(3);
  });

  it('ignores an older version of a certificate and applies a newer one', async () => {
    await store.apply([meter('1EMH0000000001', T2)]);
    expect(await store.apply([meter('1EMH0000000001', T1, true)])).toEqual({ applied: 1, unchanged: 1 });
    expect((await rows())[0]!.revoked).toBe(false);
    await store.apply([meter('1EMH0000000001', '2026-11-03T00:00:00.000Z', true)]);
    expect((await rows())[0]!.revoked).toBe(true);
  });

  it('orders CRLs by CRL number, on the CA entry, even when the CRL arrives before the CA certificate', async () => {
    await store.apply([crl(2), crl(5, 'delta-crl')]);
    expect(await store.apply([crl(1)])).toEqual({ applied: 1, unchanged: 1 });
    await store.apply([ca(T1)]);
    const [entry] = await rows();
    expect(entry!.kind).toBe('ca');
    expect(entry!.certificate).toEqual(Buffer.from('0ca'));
    expect(entry!.crl).toEqual(Buffer.from('0crl-2'));
    expect(entry!.crlNumber).toBe(2);
    expect(entry!.deltaCrlNumber).toBe(5);
  });

  it('keeps one entry for DNs that differ only in case', async () => {
    await store.apply([meter('1EMH0000000001', T1)]);
    await store.apply([{ ...meter('1EMH0000000001', T2), dn: `SERIALNUMBER=1EMH0000000001,CN=SM-Test-Calibration.CA,O=SM-Test-PKI-DE,C=DE` }]);
    expect(await rows()).toHaveLength(1);
  });

  it('keeps one entry when two replicas apply the same new entries at once', async () => {
    const replica = new DirectoryStore(database.dataSource);
    const batch = [meter('1EMH0000000001', T1), meter('1EMH0000000002', T1)];
    const results = await Promise.all([store.apply(batch), replica.apply(batch)]);
    expect(results.map((result) => result.applied)).toEqual([2, 2]);
    expect(await rows()).toHaveLength(2);
  });

  it('removes revoked certificates when configured to', async () => {
    const removing = new DirectoryStore(database.dataSource, 'remove');
    await removing.apply([meter('1EMH0000000001', T1)]);
    await removing.apply([meter('1EMH0000000001', T2, true)]);
    expect(await rows()).toHaveLength(0);
  });

  it('pages the entries of a one-level and a subtree scope in DN order', async () => {
    await store.apply([ca(T1), meter('1EMH0000000001', T1), meter('1EMH0000000002', T1), meter('1EMH0000000003', T1)]);
    const caKey = CA_DN.toLowerCase();
    const firstPage = await store.page('one', caKey, '', 2);
    expect(firstPage.map((row) => row.meterId)).toEqual(['1EMH0000000001', '1EMH0000000002']);
    expect((await store.page('one', caKey, firstPage[1]!.dnKey, 2)).map((row) => row.meterId)).toEqual(['1EMH0000000003']);
    expect(await store.page('sub', caKey, '', 10)).toHaveLength(4);
    expect(await store.page('sub', 'o=sm-test-pki-de,c=de', '', 10)).toHaveLength(4);
    // LIKE wildcards in a base DN are literal.
    expect(await store.page('sub', 'o=sm_test-pki-de,c=de', '', 10)).toHaveLength(0);
  });

  it('narrows a search on cn and serialNumber case-insensitively, however the filter spells the value', async () => {
    await store.apply([ca(T1), meter('1EMH0000000001', T1), meter('1EMH0000000002', T1)]);
    const caKey = CA_DN.toLowerCase();
    for (const value of ['1EMH0000000002', '1emh0000000002', '1eMh0000000002']) {
      expect((await store.page('sub', caKey, '', 10, { attribute: 'serialnumber', value })).map((row) => row.meterId)).toEqual(['1EMH0000000002']);
    }
    expect((await store.page('sub', '', '', 10, { attribute: 'cn', value: 'sm-test-calibration.ca' })).map((row) => row.dn)).toEqual([CA_DN]);
    // The stored value keeps its case: LDAP answers the attribute as published.
    expect((await rows()).find((row) => row.meterIdKey === '1emh0000000001')?.meterId).toBe('1EMH0000000001');
  });

  it('answers many reads asked at once each with its own rows, as when they are asked one by one (PostgreSQL batches them)', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => `1EMH${String(index + 1).padStart(10, '0')}`);
    await store.apply([ca(T1), ...ids.map((id) => meter(id, T1))]);
    const caKey = CA_DN.toLowerCase();
    const reads: Array<() => Promise<unknown>> = [
      ...ids.map((id) => () => store.findByKey(`serialnumber=${id.toLowerCase()},${caKey}`)),
      () => store.findByKey(`serialnumber=1emh9999999999,${caKey}`),
      ...ids.map((id, index) => () => store.page('sub', caKey, '', 10, { attribute: 'serialnumber', value: index % 2 ? id : id.toLowerCase() })),
      () => store.page('sub', caKey, `serialnumber=${ids[0]!.toLowerCase()},${caKey}`, 10, { attribute: 'serialnumber', value: ids[0]! }),
      () => store.page('sub', 'o=sm_test-pki-de,c=de', '', 10, { attribute: 'serialnumber', value: ids[1]! }),
      () => store.page('sub', caKey, '', 10, { attribute: 'cn', value: 'SM-TEST-CALIBRATION.CA' }),
    ];
    const together = await Promise.all(reads.map((read) => read()));
    const oneByOne: unknown[] = [];
    for (const read of reads) oneByOne.push(await read());
    expect(together).toEqual(oneByOne);
    const keyOf = (result: unknown) => (Array.isArray(result) ? result.map((row: DirectoryEntry) => row.meterId ?? row.dn) : ((result as DirectoryEntry | null)?.meterId ?? null));
    expect(together.slice(0, ids.length).map(keyOf)).toEqual(ids);
    expect(together[ids.length]).toBeNull();
    expect(together.slice(ids.length + 1, 2 * ids.length + 1).map(keyOf)).toEqual(ids.map((id) => [id]));
    expect(together.slice(2 * ids.length + 1).map(keyOf)).toEqual([[], [], [CA_DN]]);
  });
}
