import { decodeOidContents, encodeOidContents } from './object-identifier';

describe('object identifiers', () => {
  it.each([
    ['1.2.840.10045.2.1', '2a8648ce3d0201'],
    ['1.3.36.3.3.2.8.1.1.11', '2b240303020801010b'],
    ['0.4.0.127.0.7.3.4.1.1.1', '04007f00070304010101'],
    ['2.5.29.17', '551d11'],
    ['2.999.3', '883703'],
  ])('%s <-> %s', (oid, hex) => {
    expect(encodeOidContents(oid).toString('hex')).toBe(hex);
    expect(decodeOidContents(Buffer.from(hex, 'hex'))).toBe(oid);
  });

  it('handles arcs beyond 2^53 (UUID OIDs)', () => {
    const oid = '2.25.329800735698586629295641978511506172918';
    expect(decodeOidContents(encodeOidContents(oid))).toBe(oid);
  });

  it('decodes from the octets as they are now, also when a cached OID shares their hash or their buffer', () => {
    // 0x2a40 and 0x2b21 hash alike (31 * 0x2a + 0x40 = 31 * 0x2b + 0x21): the cache must compare the octets.
    expect(decodeOidContents(Buffer.of(0x2a, 0x40))).toBe('1.2.64');
    expect(decodeOidContents(Buffer.of(0x2b, 0x21))).toBe('1.3.33');
    expect(decodeOidContents(Buffer.of(0x2a, 0x40))).toBe('1.2.64');
    // A reused buffer (a parser's view) must not change what the cache holds.
    const reused = Buffer.from('2a864a', 'hex');
    expect(decodeOidContents(reused.subarray(0, 3))).toBe('1.2.842');
    reused.set([0x2b, 0x06, 0x01]);
    expect(decodeOidContents(reused.subarray(0, 3))).toBe('1.3.6.1');
    expect(decodeOidContents(Buffer.from('2a864a', 'hex'))).toBe('1.2.842');
  });

  it('refuses malformed encodings and strings', () => {
    expect(() => decodeOidContents(Buffer.of(0x2a, 0x80, 0x01))).toThrow(expect.objectContaining({ rule: 'der.malformed' }));
    expect(() => decodeOidContents(Buffer.of(0x2a, 0x86))).toThrow(/ends inside an arc/);
    expect(() => decodeOidContents(Buffer.alloc(0))).toThrow(/empty/);
    expect(() => encodeOidContents('1.2.x')).toThrow(TypeError);
    expect(() => encodeOidContents('1.40')).toThrow(/below 40/);
    expect(() => encodeOidContents('3.1')).toThrow(TypeError);
  });
});
