/**
 * 10,000 malformed or random LDAP messages against the directory's LDAP server: the process survives, every
 * connection is answered or closed, and a well-formed search still works afterwards. Seeded, so a failure repeats.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { startLdapServerFixture, type LdapServerFixture } from './support/ldap-server-fixture';

const CONNECTIONS = 200;
const MESSAGES_PER_CONNECTION = 50;

// Well-formed requests to mutate: a search (c=DE, (cn=x), cn), an anonymous bind, an add.
const TEMPLATES = [
  '302902010163240404633d44450a01000a0100020100020100010100a3070402636e04017830040402636e',
  '300c020101600702010304008000',
  '3021020102681c0409636e3d782c633d4445300f300d04026f6331070405746f70',
].map((hex) => Buffer.from(hex, 'hex'));

/** xorshift32: deterministic noise. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

function malformed(next: () => number): Buffer {
  const pick = Math.floor(next() * 5);
  const template = TEMPLATES[Math.floor(next() * TEMPLATES.length)]!;
  if (pick === 0) return Buffer.from(Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256)));
  if (pick === 1) return template.subarray(0, Math.floor(next() * template.length));
  if (pick === 2) {
    const flipped = Buffer.from(template);
    for (let i = 0; i < 3; i++) flipped[Math.floor(next() * flipped.length)] = Math.floor(next() * 256);
    return flipped;
  }
  // Absurd lengths: 4-byte length headers claiming gigabytes.
  if (pick === 3) return Buffer.concat([Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), template.subarray(2)]);
  const nested = Buffer.from(template);
  nested[0] = [0x30, 0x31, 0x60, 0x63, 0xa3, 0x04][Math.floor(next() * 6)]!;
  return nested;
}

/** Sends the messages on one connection; resolves when the server answered something or closed the connection. */
function fuzzConnection(port: number, messages: Buffer[]): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    let answered = false;
    const socket = connect(port, '127.0.0.1', () => {
      for (const message of messages) socket.write(message);
      socket.end();
    });
    socket.on('data', () => (answered = true));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answered ? 'answered' : 'closed'));
  });
}

function ldapsearch(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('ldapsearch', ['-x', '-LLL', '-H', `ldap://127.0.0.1:${port}`, '-b', '', '-s', 'base', '(objectClass=*)']);
    child.on('close', resolve);
  });
}

describe('LDAP server under malformed input', () => {
  let fixture: LdapServerFixture;
  let port: number;

  beforeAll(async () => {
    fixture = await startLdapServerFixture();
    port = fixture.port;
  });

  afterAll(() => fixture?.close());

  it(`survives ${CONNECTIONS * MESSAGES_PER_CONNECTION} malformed messages and still answers a search`, async () => {
    const next = random(0x5eed);
    const outcomes: string[] = [];
    // 20 connections at a time: concurrent clients, each one's garbage must not affect the others.
    for (let batch = 0; batch < CONNECTIONS; batch += 20) {
      const runs = Array.from({ length: 20 }, () => fuzzConnection(port, Array.from({ length: MESSAGES_PER_CONNECTION }, () => malformed(next))));
      outcomes.push(...(await Promise.all(runs)));
    }
    expect(outcomes).toHaveLength(CONNECTIONS);
    expect(await ldapsearch(port)).toBe(0);
  }, 120_000);
});
