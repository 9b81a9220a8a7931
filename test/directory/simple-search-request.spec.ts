/**
 * The search requests read straight from their BER (simple-search-request.ts) must be the requests ldapjs hands
 * over for the same bytes: base DN string, scope, limits, attributes and filter (type, attribute, value), so the
 * search answers them the same way. Every other request must be left to ldapjs.
 */
import * as ldapjs from 'ldapjs';
import { messageEnd, readSimpleSearch } from '../../libs/directory/src/ldap/simple-search-request';

interface Request {
  messageId: number;
  protocolOp: number;
  dn: { toString(): string };
  scope: number;
  sizeLimit: number;
  timeLimit: number;
  attributes: string[];
  filter: { type: string; attribute?: string; value?: unknown; toString(): string };
}

// ldapjs 3's classes; its published typings describe ldapjs 2.
type Constructor<T = unknown> = new (options?: Record<string, unknown>) => T;
const { EqualityFilter, Parser, PagedResultsControl, SearchRequest } = ldapjs as unknown as {
  EqualityFilter: Constructor;
  Parser: Constructor<{ write(data: Buffer): void; on(event: string, listener: (message: Request) => void): void }>;
  PagedResultsControl: Constructor;
  SearchRequest: Constructor<{ toBer(): { buffer: Buffer } }>;
};

const CA = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
const METER = `serialNumber=1EMH0000000001,${CA}`;

function encode(options: Record<string, unknown>): Buffer {
  return new SearchRequest(options).toBer().buffer;
}

/** The request ldapjs's own parser makes of `bytes`. */
function ldapjsParse(bytes: Buffer): Request {
  const parser = new Parser();
  let parsed: Request | undefined;
  parser.on('message', (message) => (parsed = message));
  parser.on('error', (error) => {
    throw error;
  });
  parser.write(bytes);
  return parsed!;
}

function comparable(request: Request) {
  return {
    messageId: request.messageId,
    protocolOp: request.protocolOp,
    dn: request.dn.toString(),
    scope: request.scope,
    sizeLimit: request.sizeLimit,
    timeLimit: request.timeLimit,
    attributes: request.attributes.map(String),
    filter: { type: request.filter.type, attribute: request.filter.attribute, value: request.filter.value, text: request.filter.toString() },
  };
}

const SIMPLE: Array<[string, Record<string, unknown>]> = [
  ['a base search of a meter', { messageId: 1, baseObject: METER, scope: 'base', filter: '(objectClass=*)', attributes: ['userCertificate;binary'] }],
  ['a subtree search by meter id', { messageId: 2, baseObject: CA, scope: 'sub', filter: '(serialNumber=1EMH0000000001)', attributes: ['userCertificate;binary'] }],
  ['a lower-case meter id, a size and time limit', { messageId: 300, baseObject: CA, scope: 'sub', filter: '(serialnumber=1emh0000000001)', sizeLimit: 5, timeLimit: 70_000, attributes: [] }],
  ['a one-level search from the root', { messageId: 2_147_483_647, baseObject: '', scope: 'one', filter: '(cn=SM-Test-Calibration.CA)', attributes: ['*', 'cn'] }],
  ['no attributes (1.1)', { messageId: 128, baseObject: 'c=DE', scope: 'base', filter: '(objectclass=*)', attributes: ['1.1'] }],
];

const LEFT_TO_LDAPJS: Array<[string, Record<string, unknown>]> = [
  ['a filter value with a space', { baseObject: CA, scope: 'sub', filter: '(cn=SM Test)' }],
  ['an escaped filter value', { baseObject: CA, scope: 'sub', filter: '(cn=a\\2ab)' }],
  ['a non-ASCII filter value', { baseObject: CA, scope: 'sub', filter: '(cn=Zähler)' }],
  ['a substring filter', { baseObject: CA, scope: 'sub', filter: '(serialNumber=1EMH*)' }],
  ['an AND filter', { baseObject: CA, scope: 'sub', filter: '(&(objectClass=device)(serialNumber=1EMH0000000001))' }],
  ['a DN with spaces', { baseObject: 'o=SM Test, c=DE', scope: 'base', filter: '(objectClass=*)' }],
  ['a DN with an escape', { baseObject: 'o=SM\\,Test,c=DE', scope: 'base', filter: '(objectClass=*)' }],
  ['a DN with a multi-valued RDN', { baseObject: 'cn=a+sn=b,c=DE', scope: 'base', filter: '(objectClass=*)' }],
  ['typesOnly', { baseObject: CA, scope: 'sub', filter: '(serialNumber=1EMH0000000001)', typesOnly: true }],
  ['an attribute with options in the filter', { baseObject: CA, scope: 'sub', filter: new EqualityFilter({ attribute: 'userCertificate;binary', value: 'x' }) }],
  ['an attribute named by its OID in the filter', { baseObject: CA, scope: 'sub', filter: new EqualityFilter({ attribute: '2.5.4.5', value: '1EMH0000000001' }) }],
];

describe('search requests read from their BER', () => {
  it.each(SIMPLE)('reads %s as ldapjs does', (_name, options) => {
    const bytes = encode(options);
    expect(messageEnd(bytes, 0)).toBe(bytes.length);
    const read = readSimpleSearch(bytes, 0, bytes.length);
    expect(read).toBeDefined();
    expect(comparable(read as unknown as Request)).toEqual(comparable(ldapjsParse(bytes)));
  });

  it.each(LEFT_TO_LDAPJS)('leaves %s to ldapjs', (_name, options) => {
    const bytes = encode({ messageId: 7, ...options });
    expect(readSimpleSearch(bytes, 0, bytes.length)).toBeUndefined();
  });

  it('leaves a request with controls (paged results) to ldapjs', () => {
    const control = new PagedResultsControl({ value: { size: 10, cookie: Buffer.alloc(0) } });
    const bytes = encode({ messageId: 7, baseObject: CA, scope: 'sub', filter: '(serialNumber=1EMH0000000001)', controls: [control] });
    expect(readSimpleSearch(bytes, 0, bytes.length)).toBeUndefined();
  });

  it('reads pipelined requests one by one and waits for an incomplete one', () => {
    const first = encode({ messageId: 1, baseObject: METER, scope: 'base', filter: '(objectClass=*)' });
    const second = encode({ messageId: 2, baseObject: CA, scope: 'sub', filter: '(serialNumber=1EMH0000000001)' });
    const stream = Buffer.concat([first, second]);
    expect(messageEnd(stream, 0)).toBe(first.length);
    expect(readSimpleSearch(stream, first.length, messageEnd(stream, first.length)!)?.messageId).toBe(2);
    expect(messageEnd(stream.subarray(0, stream.length - 1), first.length)).toBeUndefined();
  });

  it('leaves every truncated or corrupted form of a request to ldapjs without throwing', () => {
    const bytes = encode({ messageId: 1, baseObject: METER, scope: 'sub', filter: '(serialNumber=1EMH0000000001)', attributes: ['userCertificate;binary'] });
    for (let length = 0; length < bytes.length; length++) {
      expect(() => messageEnd(bytes.subarray(0, length), 0)).not.toThrow();
      expect(messageEnd(bytes.subarray(0, length), 0)).toBeUndefined();
    }
    for (let index = 0; index < bytes.length; index++) {
      for (const value of [0x00, 0x7f, 0x80, 0x84, 0xff]) {
        const corrupted = Buffer.from(bytes);
        corrupted[index] = value;
        const end = messageEnd(corrupted, 0);
        if (end === undefined) continue;
        const read = readSimpleSearch(corrupted, 0, end);
        // Whatever is still read as a simple search is what ldapjs reads from the same bytes.
        if (read) expect(comparable(read as unknown as Request)).toEqual(comparable(ldapjsParse(corrupted.subarray(0, end))));
      }
    }
  });
});
