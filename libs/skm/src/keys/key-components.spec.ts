import { ProblemException } from '@smpki/platform';
import { combineComponents } from './key-components';
import { bitsOfWrapped } from './meter-key-input';

describe('combineComponents', () => {
  it('XORs the components into the key', () => {
    expect(combineComponents(['0f0e0d0c0b0a09080706050403020100', '0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f'], 128).toString('hex')).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('refuses a component of the wrong length, naming the rule', () => {
    expect(() => combineComponents(['00'.repeat(16), '00'.repeat(15)], 128)).toThrow(ProblemException);
    try {
      combineComponents(['00'.repeat(16), '00'.repeat(32)], 128);
    } catch (error) {
      expect((error as ProblemException).asProblemDocument().errors).toEqual([expect.objectContaining({ field: 'components', rule: 'key.length' })]);
    }
  });
});

describe('bitsOfWrapped', () => {
  it('reads the key size from an RFC 3394 blob (8 bytes longer than the key)', () => {
    expect(bitsOfWrapped(Buffer.alloc(24), 'wrapped')).toBe(128);
    expect(bitsOfWrapped(Buffer.alloc(40), 'wrapped')).toBe(256);
  });

  it('refuses any other length', () => {
    for (const length of [16, 23, 32, 48]) expect(() => bitsOfWrapped(Buffer.alloc(length), 'wrapped')).toThrow(/key\.length|bytes/);
  });
});
