import { AuditEventError } from './audit-errors';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('spells equal values one way', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson({ n: -0 })).toBe('{"n":0}');
    expect(canonicalJson({ n: 1e21, m: 0.1 })).toBe('{"m":0.1,"n":1e+21}');
    expect(canonicalJson({ s: 'line\nbreak "quoted" é 🔑' })).toBe('{"s":"line\\nbreak \\"quoted\\" é 🔑"}');
    expect(canonicalJson({ when: new Date('2026-05-01T12:00:00Z') })).toBe('{"when":"2026-05-01T12:00:00.000Z"}');
    expect(canonicalJson({ absent: undefined, present: 1 })).toBe('{"present":1}');
  });

  it('sorts keys by UTF-16 code units (RFC 8785)', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '10': 4, '9': 5 })).toBe('{"10":4,"9":5,"Z":3,"z":2,"é":1}');
  });

  it.each<[unknown, string]>([
    [{ a: Number.POSITIVE_INFINITY }, '$.a: Infinity is not JSON'],
    [{ a: [1, undefined] }, '$.a[1]: undefined is not JSON'],
    [{ a: 10n }, '$.a: a bigint is not JSON'],
    [{ a: () => 1 }, '$.a: a function is not JSON'],
    [{ a: new Uint8Array(2) }, '$.a: binary data is not JSON; encode it as hex or base64'],
    [{ a: new Map() }, '$.a: a Map is not a plain object'],
    [{ a: new Date('nonsense') }, '$.a: invalid Date'],
    [{ a: 'half \ud800 surrogate' }, '$.a: string contains a lone UTF-16 surrogate'],
  ])('refuses %p naming the path', (value, message) => {
    expect(() => canonicalJson(value)).toThrow(new AuditEventError(message));
  });

  it('refuses cycles and excessive nesting', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('$.self: circular reference');
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow('nested deeper than 32 levels');
    // The same object twice (not a cycle) is fine.
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});
