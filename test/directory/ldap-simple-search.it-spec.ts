/**
 * Search requests of the common shapes are read from their BER by the server itself (simple-search-request.ts);
 * the others go through ldapjs's parser. Both must answer alike: the same request is sent once as is (read
 * directly) and once with a non-critical control the server ignores (read by ldapjs), and the answers must be the
 * same bytes, over case-insensitive names and values, size limits, noSuchObject and every scope.
 */
import * as ldapjs from 'ldapjs';
import { connect } from 'node:net';
import type { DirectoryStore } from '@smpki/directory';
import { startLdapServerFixture, type LdapServerFixture } from './support/ldap-server-fixture';

// ldapjs 3's classes; its published typings describe ldapjs 2.
type Constructor<T = unknown> = new (options?: Record<string, unknown>) => T;
const { Control, SearchRequest } = ldapjs as unknown as { Control: Constructor; SearchRequest: Constructor<{ toBer(): { buffer: Buffer } }> };

const CA_DN = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
const VERSION = '2026-11-01T00:00:00.000Z';
const meterId = (index: number) => `1EMH${String(index).padStart(10, '0')}`;
const certificateOf = (index: number) => Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x2c]), Buffer.alloc(300, index)]);

async function fill(store: DirectoryStore): Promise<void> {
  await store.apply([{ kind: 'ca', ca: 'calibration', dn: CA_DN, certificate: certificateOf(0).toString('base64'), version: VERSION }]);
  await store.apply(
    [1, 2, 3].map((index) => ({
      kind: 'certificate' as const,
      ca: 'calibration',
      dn: `serialNumber=${meterId(index)},${CA_DN}`,
      certificate: certificateOf(index).toString('base64'),
      serial: `0${index}`,
      fingerprint: 'f'.repeat(64),
      meterId: meterId(index),
      revoked: index === 2,
      version: VERSION,
    })),
  );
}

const SEARCHES: Array<[string, Record<string, unknown>]> = [
  ['a base search of a meter', { baseObject: `serialNumber=${meterId(1)},${CA_DN}`, scope: 'base', filter: '(objectClass=*)', attributes: ['userCertificate;binary'] }],
  ['a base search by a lower-case DN', { baseObject: `serialnumber=${meterId(1).toLowerCase()},${CA_DN.toLowerCase()}`, scope: 'base', filter: '(objectClass=*)' }],
  ['a base search of a missing meter (noSuchObject)', { baseObject: `serialNumber=${meterId(9)},${CA_DN}`, scope: 'base', filter: '(objectClass=*)' }],
  ['a base search of a container', { baseObject: 'o=SM-Test-PKI-DE,c=DE', scope: 'base', filter: '(objectClass=*)' }],
  ['a base search of the root', { baseObject: '', scope: 'base', filter: '(objectClass=*)' }],
  ['a subtree search by meter id', { baseObject: CA_DN, scope: 'sub', filter: `(serialNumber=${meterId(2)})`, attributes: ['userCertificate;binary'] }],
  ['a subtree search by a lower-case meter id', { baseObject: CA_DN, scope: 'sub', filter: `(SERIALNUMBER=${meterId(3).toLowerCase()})` }],
  ['a subtree search by cn matching the CA', { baseObject: 'c=DE', scope: 'sub', filter: '(cn=sm-test-calibration.ca)', attributes: ['cn'] }],
  ['a subtree search over the size limit', { baseObject: CA_DN, scope: 'sub', filter: '(objectClass=*)', sizeLimit: 2, attributes: ['1.1'] }],
  ['a subtree search by an attribute not indexed', { baseObject: CA_DN, scope: 'sub', filter: '(smpkiRevoked=TRUE)', attributes: ['*'] }],
  ['a subtree search below a missing base (noSuchObject)', { baseObject: 'o=Nobody,c=DE', scope: 'sub', filter: '(objectClass=*)' }],
  ['a one-level search of the CA', { baseObject: CA_DN, scope: 'one', filter: '(objectclass=*)', attributes: ['serialNumber'] }],
];

/** Sends one request on a new connection and returns every byte answered up to its SearchResultDone. */
function exchange(port: number, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (data) => {
      received = Buffer.concat([received, data]);
      if (endsWithSearchDone(received)) {
        socket.destroy();
        resolve(received);
      }
    });
  });
}

/** Whether the last complete LDAPMessage in `bytes` carries a SearchResultDone ([APPLICATION 5]). */
function endsWithSearchDone(bytes: Buffer): boolean {
  let offset = 0;
  let lastOp = -1;
  while (offset + 2 <= bytes.length) {
    let length = bytes[offset + 1]!;
    let start = offset + 2;
    if (length & 0x80) {
      const size = length & 0x7f;
      length = 0;
      for (let index = 0; index < size; index++) length = length * 256 + (bytes[start + index] ?? 0);
      start += size;
    }
    if (start + length > bytes.length) return false;
    const idLength = bytes[start + 1]!;
    lastOp = bytes[start + 2 + idLength]!;
    offset = start + length;
  }
  return offset === bytes.length && lastOp === 0x65;
}

describe('search requests read directly and by ldapjs', () => {
  let fixture: LdapServerFixture;

  beforeAll(async () => {
    fixture = await startLdapServerFixture(fill, { maxSizeLimit: 10 });
  }, 60_000);

  afterAll(() => fixture?.close());

  it.each(SEARCHES)('answers %s the same either way', async (_name, options) => {
    const plain = new SearchRequest({ messageId: 5, ...options }).toBer().buffer;
    const withControl = new SearchRequest({ messageId: 5, ...options, controls: [new Control({ type: '1.3.6.1.4.1.99999.1', criticality: false })] }).toBer().buffer;
    const direct = await exchange(fixture.port, plain);
    const throughLdapjs = await exchange(fixture.port, withControl);
    expect(direct.toString('hex')).toBe(throughLdapjs.toString('hex'));
  });

  it('answers pipelined searches, read directly and by ldapjs, each once', async () => {
    const requests = SEARCHES.slice(0, 6).map(([, options], index) => {
      const controls = index % 2 ? [new Control({ type: '1.3.6.1.4.1.99999.1', criticality: false })] : [];
      return new SearchRequest({ messageId: index + 1, ...options, controls }).toBer().buffer;
    });
    const answered = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      const socket = connect(fixture.port, '127.0.0.1', () => socket.write(Buffer.concat(requests)));
      let received = Buffer.alloc(0);
      socket.on('error', reject);
      socket.on('data', (data) => {
        received = Buffer.concat([received, data]);
        for (const id of searchDoneIds(received)) answered.add(id);
        if (answered.size === requests.length) {
          socket.destroy();
          resolve();
        }
      });
    });
    expect([...answered].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

/** The message ids of the (one-byte-id) SearchResultDone messages in `bytes`. */
function searchDoneIds(bytes: Buffer): number[] {
  const ids: number[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    let length = bytes[offset + 1]!;
    let start = offset + 2;
    if (length & 0x80) {
      const size = length & 0x7f;
      length = 0;
      for (let index = 0; index < size; index++) length = length * 256 + (bytes[start + index] ?? 0);
      start += size;
    }
    if (start + length > bytes.length) break;
    if (bytes[start + 3] === 0x65) ids.push(bytes[start + 2]!);
    offset = start + length;
  }
  return ids;
}
