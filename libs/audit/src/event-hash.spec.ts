import { computeEventHash, GENESIS_HASH } from './event-hash';
import { LengthPrefixedEncoder } from './length-prefixed';

const fields = {
  seq: 17,
  prevHash: Buffer.alloc(32, 0xab),
  time: new Date('2026-05-01T12:00:00.123Z'),
  service: 'sub-ca',
  actor: 'CN=operator-1',
  action: 'certificate.revoked',
  target: 'serial:00c0ffee',
  outcome: 'success',
  details: '{"reason":"keyCompromise"}',
};

describe('event hash', () => {
  // Computed independently from the encoding documented in event-hash.ts (Python: struct.pack('>I', len) + bytes,
  // 0x00 / 0x01 for optional fields, hashlib.sha256). Verifiers in the field depend on it: never change it silently.
  it('is fixed by the documented encoding', () => {
    expect(computeEventHash(fields).toString('hex')).toBe('c3f9385784563be34ea955818a86525c64b8864fdc2ea953b80123625958168e');
  });

  it('changes with every field', () => {
    const base = computeEventHash(fields);
    const variants = [
      { seq: 18 },
      { prevHash: GENESIS_HASH },
      { time: new Date('2026-05-01T12:00:00.124Z') },
      { service: 'root-ca' },
      { actor: null },
      { action: 'certificate.issued' },
      { target: null },
      { outcome: 'failure' },
      { details: '{"reason":"superseded"}' },
    ];
    for (const variant of variants) expect(computeEventHash({ ...fields, ...variant }).equals(base)).toBe(false);
  });

  it('keeps null and the empty string apart, and field boundaries unambiguous', () => {
    expect(computeEventHash({ ...fields, actor: null }).equals(computeEventHash({ ...fields, actor: '' }))).toBe(false);
    const split = (a: string, b: string) => new LengthPrefixedEncoder('t').text(a).text(b).encode();
    expect(split('ab', 'c').equals(split('a', 'bc'))).toBe(false);
  });
});
