/**
 * Abuse the LDAP front end the way the issue names it, beyond malformed messages (ldap-fuzz.it-spec.ts): huge
 * filters, bind/unbind storms, a message that claims to be huge and never ends, and a client that stops reading.
 * Each is answered with a result code or the connection is closed, the process stays up, and other clients are
 * served meanwhile.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { DirectoryStore } from '@smpki/directory';
import { startLdapServerFixture, type LdapServerFixture } from './support/ldap-server-fixture';

const CA_DN = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
const METERS = 2000;

/** BER length octets. */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

const octets = (text: string) => tlv(0x04, Buffer.from(text, 'utf8'));
const integer = (n: number) => tlv(0x02, Buffer.from([n]));
const enumerated = (n: number) => tlv(0x0a, Buffer.from([n]));
const equality = (attribute: string, value: string) => tlv(0xa3, Buffer.concat([octets(attribute), octets(value)]));

/** An LDAPMessage with a SearchRequest (RFC 4511 4.5.1): base, subtree, no limits, the given filter and attribute. */
function searchRequest(messageId: number, base: string, filter: Buffer, attribute = 'cn'): Buffer {
  const search = tlv(0x63, Buffer.concat([octets(base), enumerated(2), enumerated(0), integer(0), integer(0), tlv(0x01, Buffer.from([0])), filter, tlv(0x30, octets(attribute))]));
  return tlv(0x30, Buffer.concat([integer(messageId), search]));
}

const bindRequest = (messageId: number) => tlv(0x30, Buffer.concat([integer(messageId), tlv(0x60, Buffer.concat([integer(3), octets(''), tlv(0x80, Buffer.alloc(0))]))]));
const unbindRequest = (messageId: number) => tlv(0x30, Buffer.concat([integer(messageId), tlv(0x42, Buffer.alloc(0))]));

/** Writes `message`, then collects bytes until the server closes or `done(bytes)` says enough; resolves with what came. */
function exchange(port: number, message: Buffer, done: (received: Buffer) => boolean, timeoutMs = 20_000): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const socket = connect(port, '127.0.0.1', () => socket.write(message));
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (done(received)) finish(false);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
  });
}

/** The resultCode of the first SearchResultDone (APPLICATION 5) in `bytes`, if one arrived. */
function searchDoneCode(bytes: Buffer): number | undefined {
  const at = bytes.indexOf(Buffer.from([0x65]));
  for (let index = at; index >= 0; index = bytes.indexOf(0x65, index + 1)) {
    // 0x65 <len> 0x0a 0x01 <code>
    const lengthOctets = bytes[index + 1]! & 0x80 ? 1 + (bytes[index + 1]! & 0x7f) : 1;
    const code = index + 1 + lengthOctets;
    if (bytes[code] === 0x0a && bytes[code + 1] === 0x01 && code + 2 < bytes.length) return bytes[code + 2];
  }
  return undefined;
}

function ldapsearch(port: number, ...args: string[]): Promise<{ status: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', `ldap://127.0.0.1:${port}`, ...args]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, ms: Date.now() - started }));
  });
}

function meterEntry(index: number, certificate: Buffer) {
  const meterId = `1EMH${String(index).padStart(10, '0')}`;
  return {
    kind: 'certificate' as const, ca: 'calibration', dn: `serialNumber=${meterId},${CA_DN}`, certificate: certificate.toString('base64'),
    serial: index.toString(16), fingerprint: createHash('sha256').update(certificate).digest('hex'), commonName: meterId, meterId, revoked: false,
    version: '2026-11-01T00:00:00.000Z',
  };
}

describe('LDAP server under abuse', () => {
  let fixture: LdapServerFixture;
  let port: number;

  /** A CA and METERS meter entries. Any DER SEQUENCE passes the store; 4 KiB each makes a full subtree answer 8 MB. */
  async function fill(store: DirectoryStore): Promise<void> {
    const certificate = tlv(0x30, Buffer.alloc(4096, 0x42));
    await store.apply([{ kind: 'ca', ca: 'calibration', dn: CA_DN, certificate: certificate.toString('base64'), version: '2026-11-01T00:00:00.000Z' }]);
    for (let start = 0; start < METERS; start += 500) {
      await store.apply(Array.from({ length: 500 }, (_, offset) => meterEntry(start + offset + 1, certificate)));
    }
  }

  beforeAll(async () => {
    fixture = await startLdapServerFixture(fill, { maxSizeLimit: METERS + 10 });
    port = fixture.port;
  }, 60_000);

  afterAll(() => fixture?.close());

  it('answers a search with a 20,000-clause filter (or closes that connection) and keeps serving', async () => {
    const clauses = Array.from({ length: 20_000 }, (_, index) => equality('serialNumber', `1EMH${String(index).padStart(10, '0')}`));
    const huge = tlv(0xa1, Buffer.concat(clauses)); // (|(serialNumber=...)...)
    const { received, closed } = await exchange(port, searchRequest(2, CA_DN, huge), (bytes) => searchDoneCode(bytes) !== undefined);
    expect(searchDoneCode(received) !== undefined || closed).toBe(true);
    expect((await ldapsearch(port, '-b', CA_DN, '(serialNumber=1EMH0000000007)', 'cn')).stdout).toContain('cn: 1EMH0000000007');
  }, 60_000);

  it('deeply nested filters (10,000 NOTs) do not take the process down', async () => {
    let filter = equality('cn', 'x');
    for (let depth = 0; depth < 10_000; depth++) filter = tlv(0xa2, filter);
    const { received, closed } = await exchange(port, searchRequest(3, CA_DN, filter), (bytes) => searchDoneCode(bytes) !== undefined);
    expect(searchDoneCode(received) !== undefined || closed).toBe(true);
    expect((await ldapsearch(port, '-b', '', '-s', 'base', '(objectClass=*)')).status).toBe(0);
  }, 60_000);

  it('survives a storm of 2,000 bind/unbind connections', async () => {
    for (let round = 0; round < 100; round++) {
      await Promise.all(Array.from({ length: 20 }, (_, index) => exchange(port, Buffer.concat([bindRequest(1), unbindRequest(2)]), () => false, 5_000).then(() => index)));
    }
    expect((await ldapsearch(port, '-b', CA_DN, '(serialNumber=1EMH0000000042)', 'cn')).stdout).toContain('cn: 1EMH0000000042');
  }, 120_000);

  it('closes a connection whose message claims to be 2 GiB instead of buffering it', async () => {
    const header = Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]);
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
    socket.write(header);
    // 64 MiB of body in 1 MiB writes: a server that buffers every message whole would hold all of it.
    const chunk = Buffer.alloc(1 << 20, 0x04);
    let sent = 0;
    for (; sent < 64 && !socket.destroyed; sent++) {
      if (!socket.write(chunk)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const outcome = await Promise.race([closed, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    socket.destroy();
    expect(outcome).toBe(true);
    expect((await ldapsearch(port, '-b', '', '-s', 'base', '(objectClass=*)')).status).toBe(0);
  }, 60_000);

  it('serves other clients while one client stops reading a large answer', async () => {
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => undefined);
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.pause(); // never reads: the 8 MB subtree answer piles up on the server side
    stalled.write(searchRequest(4, CA_DN, tlv(0x87, Buffer.from('objectClass')), 'userCertificate;binary'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const other = await ldapsearch(port, '-b', CA_DN, '(serialNumber=1EMH0000001999)', 'cn');
    stalled.destroy();
    expect(other.stdout).toContain('cn: 1EMH0000001999');
    expect(other.ms).toBeLessThan(5_000);
  }, 60_000);
});
