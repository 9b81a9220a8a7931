/**
 * Certificate serial numbers (RFC 5280 4.1.2.2): positive INTEGERs of at most 20 octets. smpki's CAs draw them at
 * random (CA/B-style, at least 64 bits of entropy) and compare them as lower-case hex of the unsigned magnitude.
 */
import { randomBytes } from 'node:crypto';
import { CryptoInputError } from '../crypto-input-error';
import { asBuffer } from '../der/der-reader';
import { unsignedIntegerContents } from '../der/der-writer';

/** A serial: a bigint, hex text (`0x` prefix, colons and case ignored), or the unsigned big-endian magnitude. */
export type SerialNumberInput = bigint | string | Uint8Array;

const HEX = /^[0-9a-f]+$/;

/** The unsigned magnitude of a serial, without leading zero octets. */
export function serialNumberMagnitude(serial: SerialNumberInput): Buffer {
  let magnitude: Buffer;
  if (typeof serial === 'bigint') {
    if (serial <= 0n) throw new CryptoInputError('serial.invalid', 'serial number must be positive');
    const hex = serial.toString(16);
    magnitude = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  } else if (typeof serial === 'string') {
    const hex = serial.toLowerCase().replace(/^0x/, '').replace(/:/g, '');
    if (!HEX.test(hex)) throw new CryptoInputError('serial.invalid', `serial number '${serial}' is not hexadecimal`);
    magnitude = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  } else {
    magnitude = asBuffer(serial);
  }
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) throw new CryptoInputError('serial.invalid', 'serial number must be positive (it is zero)');
  return magnitude.subarray(start);
}

/** INTEGER contents of a serial, checked against RFC 5280's 20-octet limit. */
export function serialNumberContents(serial: SerialNumberInput): Buffer {
  const contents = unsignedIntegerContents(serialNumberMagnitude(serial));
  if (contents.length > 20) throw new CryptoInputError('serial.invalid', `serial number of ${contents.length} octets exceeds the 20 octets RFC 5280 allows`);
  return contents;
}

/** Canonical text of a serial: lower-case hex of the magnitude, even length (`0d4f55...`). */
export function serialNumberHex(serial: SerialNumberInput): string {
  return serialNumberMagnitude(serial).toString('hex');
}

/**
 * A fresh random serial: `octets` random bytes with the top bit cleared (so the INTEGER needs no sign octet and
 * the encoding stays within `octets`), never zero. 16 octets give 127 bits of entropy (at least 64 are required).
 */
export function randomSerialNumber(octets = 16): Buffer {
  if (!Number.isInteger(octets) || octets < 9 || octets > 20) throw new RangeError('random serial numbers take 9 to 20 octets (at least 64 bits of entropy)');
  for (;;) {
    const bytes = randomBytes(octets);
    bytes[0]! &= 0x7f;
    if (bytes[0] !== 0) return bytes;
  }
}
