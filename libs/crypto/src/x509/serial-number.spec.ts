import { randomSerialNumber, serialNumberContents, serialNumberHex } from './serial-number';

describe('serial numbers', () => {
  it('accepts bigint, hex text and bytes, and encodes minimal positive INTEGER contents', () => {
    expect(serialNumberContents(255n).toString('hex')).toBe('00ff');
    expect(serialNumberContents('0x00:7F').toString('hex')).toBe('7f');
    expect(serialNumberContents(Buffer.of(0, 0, 0x80)).toString('hex')).toBe('0080');
    expect(serialNumberHex('0D4F55C6')).toBe('0d4f55c6');
    expect(serialNumberHex(0x123n)).toBe('0123');
  });

  it('refuses zero, negative, non-hex and over-long serials', () => {
    const rule = expect.objectContaining({ rule: 'serial.invalid' });
    expect(() => serialNumberContents(0n)).toThrow(rule);
    expect(() => serialNumberContents(-5n)).toThrow(rule);
    expect(() => serialNumberContents('00')).toThrow(rule);
    expect(() => serialNumberContents('12g4')).toThrow(rule);
    expect(() => serialNumberContents(Buffer.alloc(20, 0x7f))).not.toThrow();
    expect(() => serialNumberContents(Buffer.alloc(20, 0x80))).toThrow(/21 octets/);
  });

  it('draws random serials of the requested size with the top bit clear', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const serial = randomSerialNumber();
      expect(serial).toHaveLength(16);
      expect(serial[0]! & 0x80).toBe(0);
      expect(serial[0]).not.toBe(0);
      expect(serialNumberContents(serial)).toHaveLength(16);
      seen.add(serial.toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(() => randomSerialNumber(8)).toThrow(/64 bits/);
  });
});
