import { decodeLength, encodeLength } from './axdr';
import { encodeKeyTransferParameter } from './dlms-key-transfer';

describe('A-XDR lengths', () => {
  it.each([
    [0, '00'],
    [127, '7f'],
    [128, '8180'],
    [255, '81ff'],
    [256, '820100'],
  ])('encodes %i as %s and reads it back', (length, encoded) => {
    expect(encodeLength(length).toString('hex')).toBe(encoded);
    expect(decodeLength(Buffer.from(`aa${encoded}`, 'hex'), 1)).toEqual({ length, next: 1 + encoded.length / 2 });
  });

  it('refuses lengths it cannot encode or read', () => {
    expect(() => encodeLength(0x10000)).toThrow('beyond what DLMS APDUs carry');
    expect(() => decodeLength(Buffer.from('83010000', 'hex'), 0)).toThrow('unsupported length encoding 0x83');
    expect(() => decodeLength(Buffer.alloc(0), 0)).toThrow('ends before its length');
  });
});

describe('global_key_transfer encoding', () => {
  it('refuses key ids outside 0..3 and duplicates', () => {
    const wrapped = Buffer.alloc(24);
    expect(() => encodeKeyTransferParameter([{ keyId: 4 as never, keyWrapped: wrapped }])).toThrow('key_id is 0..3, got 4');
    expect(() => encodeKeyTransferParameter([{ keyId: 0, keyWrapped: wrapped }, { keyId: 0, keyWrapped: wrapped }])).toThrow('key_id 0 appears twice');
  });
});
