/**
 * A minimal LDAP load client for bench/directory: SearchRequests are BER-encoded by hand (only the message id
 * changes per request), pipelined over several connections (`depth` in flight on each), and the answers are read
 * at the BER level: SearchResultEntry messages are counted per request and the SearchResultDone closes it, giving
 * its latency. ldapjs's client parses every answer into objects and would be the bottleneck; this one is the same
 * for both servers of the comparison, so it costs both the same.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export type Scope = 'base' | 'one' | 'sub';

/** One search to send: its pre-encoded protocolOp and how many entries a correct answer has. */
export interface PreparedSearch {
  op: Buffer;
  expectedEntries: number;
}

const SCOPES: Record<Scope, number> = { base: 0, one: 1, sub: 2 };
const TAG_SEARCH_REQUEST = 0x63;
const TAG_SEARCH_ENTRY = 0x64;
const TAG_SEARCH_DONE = 0x65;

function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), berLength(content.length), content]);
}

/** A minimal two's-complement INTEGER (BER forbids redundant leading octets). */
function berInteger(value: number, tag = 0x02): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

const octets = (text: string, tag = 0x04) => tlv(tag, Buffer.from(text, 'utf8'));

/** `(attribute=value)`, or `(attribute=*)` when value is undefined. */
export function equalityFilter(attribute: string, value?: string): Buffer {
  return value === undefined ? octets(attribute, 0x87) : tlv(0xa3, Buffer.concat([octets(attribute), octets(value)]));
}

/** The protocolOp of a SearchRequest (RFC 4511 4.5.1): no size or time limit, aliases never dereferenced. */
export function searchRequest(base: string, scope: Scope, filter: Buffer, attributes: readonly string[]): Buffer {
  const body = Buffer.concat([
    octets(base),
    tlv(0x0a, Buffer.from([SCOPES[scope]])),
    tlv(0x0a, Buffer.from([0])),
    berInteger(0),
    berInteger(0),
    tlv(0x01, Buffer.from([0])),
    filter,
    tlv(0x30, Buffer.concat(attributes.map((name) => octets(name)))),
  ]);
  return tlv(TAG_SEARCH_REQUEST, body);
}

function message(id: number, op: Buffer): Buffer {
  const idBytes = berInteger(id);
  return Buffer.concat([Buffer.from([0x30]), berLength(idBytes.length + op.length), idBytes, op]);
}

export interface LoadResult {
  searches: number;
  seconds: number;
  perSecond: number;
  /** Searches whose answer was not success with exactly the expected number of entries. */
  wrongAnswers: number;
  firstWrongAnswer?: string;
  /** Sorted, ms. */
  latenciesMs: Float64Array;
}

export interface LoadOptions {
  port: number;
  host?: string;
  connections: number;
  /** Requests in flight on each connection. */
  depth: number;
  seconds: number;
  next: () => PreparedSearch;
}

interface Pending {
  sentAt: number;
  entries: number;
  expectedEntries: number;
}

/** Reads one BER length at `offset`: [length, header bytes], or undefined when incomplete. */
function readLength(buffer: Buffer, offset: number): [number, number] | undefined {
  if (offset >= buffer.length) return undefined;
  const first = buffer[offset]!;
  if (first < 0x80) return [first, 1];
  const count = first & 0x7f;
  if (offset + count >= buffer.length) return undefined;
  let length = 0;
  for (let index = 1; index <= count; index++) length = length * 256 + buffer[offset + index]!;
  return [length, 1 + count];
}

/** Sends searches for `seconds`, keeping `connections` x `depth` in flight; answers to requests sent after the deadline are not counted. */
export async function runSearchLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let wrongAnswers = 0;
  let firstWrongAnswer: string | undefined;
  let start = 0;
  let deadline = 0;
  const connection = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      const pending = new Map<number, Pending>();
      let nextId = 1;
      let buffer: Buffer = Buffer.alloc(0);
      const send = () => {
        const search = options.next();
        const id = nextId++;
        pending.set(id, { sentAt: performance.now(), entries: 0, expectedEntries: search.expectedEntries });
        socket.write(message(id, search.op));
      };
      const finish = (id: number, resultCode: number) => {
        const request = pending.get(id);
        if (!request) return;
        pending.delete(id);
        const now = performance.now();
        latencies.push(now - request.sentAt);
        if (resultCode !== 0 || request.entries !== request.expectedEntries) {
          wrongAnswers++;
          firstWrongAnswer ??= `result code ${resultCode}, ${request.entries} entries (expected ${request.expectedEntries})`;
        }
        if (now < deadline) send();
        else if (pending.size === 0) socket.end();
      };
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        let offset = 0;
        for (;;) {
          const outer = readLength(buffer, offset + 1);
          if (!outer || offset + 1 + outer[1] + outer[0] > buffer.length) break;
          const contentStart = offset + 1 + outer[1];
          const idLength = buffer[contentStart + 1]!;
          let id = 0;
          for (let index = 0; index < idLength; index++) id = id * 256 + buffer[contentStart + 2 + index]!;
          const opTag = buffer[contentStart + 2 + idLength]!;
          if (opTag === TAG_SEARCH_ENTRY) {
            const request = pending.get(id);
            if (request) request.entries++;
          } else if (opTag === TAG_SEARCH_DONE) {
            const opLength = readLength(buffer, contentStart + 3 + idLength)!;
            // resultCode: ENUMERATED, first element of the LDAPResult.
            finish(id, buffer[contentStart + 3 + idLength + opLength[1] + 2]!);
          } else {
            reject(new Error(`unexpected LDAP answer (tag 0x${opTag.toString(16)}) for message ${id}`));
            socket.destroy();
            return;
          }
          offset = contentStart + outer[0];
        }
        buffer = offset === buffer.length ? Buffer.alloc(0) : buffer.subarray(offset);
      });
      socket.once('error', reject);
      socket.once('close', () => (pending.size === 0 ? resolve() : reject(new Error(`connection closed with ${pending.size} searches unanswered`))));
      socket.setNoDelay(true);
      for (let index = 0; index < options.depth; index++) send();
    });
  const sockets = await Promise.all(Array.from({ length: options.connections }, () => open(options.port, options.host ?? '127.0.0.1')));
  start = performance.now();
  deadline = start + options.seconds * 1000;
  await Promise.all(sockets.map(connection));
  const seconds = (performance.now() - start) / 1000;
  return { searches: latencies.length, seconds, perSecond: latencies.length / seconds, wrongAnswers, firstWrongAnswer, latenciesMs: Float64Array.from(latencies).sort() };
}

function open(port: number, host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
