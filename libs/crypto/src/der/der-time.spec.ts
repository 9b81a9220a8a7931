import { CryptoInputError } from '../crypto-input-error';
import { DerTag } from './der-tags';
import { decodeTime, encodeGeneralizedTime, encodeTime } from './der-time';

describe('X.509 Time', () => {
  it('uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5)', () => {
    expect(encodeTime(new Date('2049-12-31T23:59:59.999Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(encodeTime(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(encodeTime(new Date('1950-01-01T00:00:00Z')).toString('latin1')).toBe('\x17\x0d500101000000Z');
    expect(encodeTime(new Date('1949-12-31T23:59:59Z')).toString('latin1')).toBe('\x18\x0f19491231235959Z');
    expect(encodeTime(new Date('9999-12-31T23:59:59Z')).toString('latin1')).toBe('\x18\x0f99991231235959Z');
    expect(encodeGeneralizedTime(new Date('2026-01-13T10:37:08Z')).toString('latin1')).toBe('\x18\x0f20260113103708Z');
  });

  it('refuses dates X.509 cannot hold', () => {
    expect(() => encodeTime(new Date(Number.NaN))).toThrow(CryptoInputError);
    expect(() => encodeTime(new Date('+010000-01-01T00:00:00Z'))).toThrow(expect.objectContaining({ rule: 'validity.invalid' }));
  });

  it('decodes both forms and refuses what RFC 5280 does not allow', () => {
    expect(decodeTime(DerTag.UTC_TIME, Buffer.from('491231235959Z'), 't').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(decodeTime(DerTag.UTC_TIME, Buffer.from('500101000000Z'), 't').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    expect(decodeTime(DerTag.GENERALIZED_TIME, Buffer.from('20500101000000Z'), 't').toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(decodeTime(DerTag.GENERALIZED_TIME, Buffer.from('00010101000000Z'), 't').getUTCFullYear()).toBe(1);
    for (const [tag, text] of [
      [DerTag.UTC_TIME, '4912312359Z'],
      [DerTag.UTC_TIME, '491231235959+0100'],
      [DerTag.GENERALIZED_TIME, '20500101000000.5Z'],
      [DerTag.GENERALIZED_TIME, '20500230000000Z'],
      [DerTag.GENERALIZED_TIME, '20500101240000Z'],
      [DerTag.OCTET_STRING, '20500101000000Z'],
    ] as const) {
      expect(() => decodeTime(tag, Buffer.from(text), 'notAfter')).toThrow(expect.objectContaining({ rule: 'der.malformed' }));
    }
  });
});
