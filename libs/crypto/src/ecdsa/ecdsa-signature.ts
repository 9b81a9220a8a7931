/**
 * ECDSA signature encodings: X.509, CMS and PKCS#10 carry the DER ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER };
 * PKCS#11, WebCrypto and JOSE use r||s with each half the curve size (32, 48 or 64 bytes; brainpoolP384r1 and
 * P512r1 must not be cut to 32, which is what stock @peculiar/x509 does).
 */
import type { Curve } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { ecCurve } from '../curves';
import { asBuffer, DerSequenceReader, readWhole, type Tlv } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { derSequence, derUnsignedInteger } from '../der/der-writer';

/** r||s -> DER. With `curve`, the raw signature must be exactly twice the curve size. */
export function ecdsaRawToDer(raw: Uint8Array, curve?: Curve): Buffer {
  const expected = curve ? 2 * ecCurve(curve).size : undefined;
  if (raw.length === 0 || raw.length % 2 !== 0 || (expected !== undefined && raw.length !== expected)) {
    throw new CryptoInputError(
      'signature.malformed',
      `raw ECDSA signature of ${raw.length} bytes (${expected !== undefined ? `${curve} needs ${expected}` : 'needs an even, non-zero length'})`,
    );
  }
  const half = raw.length / 2;
  const bytes = asBuffer(raw);
  return derSequence(derUnsignedInteger(bytes.subarray(0, half)), derUnsignedInteger(bytes.subarray(half)));
}

/** DER -> r||s, each left-padded to the curve size. Strict DER; r and s must be positive and fit the curve. */
export function ecdsaDerToRaw(der: Uint8Array, curve: Curve): Buffer {
  const size = ecCurve(curve).size;
  const bytes = asBuffer(der);
  try {
    const sequence = readWhole(bytes, DerTag.SEQUENCE, 'ECDSA-Sig-Value');
    const reader = new DerSequenceReader(bytes, sequence, 'ECDSA-Sig-Value');
    const r = integerOfSize(bytes, reader.next(DerTag.INTEGER, 'r'), size, 'r', curve);
    const s = integerOfSize(bytes, reader.next(DerTag.INTEGER, 's'), size, 's', curve);
    reader.end();
    return Buffer.concat([r, s]);
  } catch (error) {
    if (error instanceof CryptoInputError && error.rule === 'der.malformed') throw new CryptoInputError('signature.malformed', error.message);
    throw error;
  }
}

function integerOfSize(der: Buffer, tlv: Tlv, size: number, name: string, curve: Curve): Buffer {
  let value = der.subarray(tlv.valueOffset, tlv.end);
  const fail = (problem: string) => new CryptoInputError('signature.malformed', `ECDSA-Sig-Value ${name}: ${problem}`);
  if (value.length === 0) throw fail('empty INTEGER');
  if (value[0]! & 0x80) throw fail('negative');
  if (value.length > 1 && value[0] === 0 && !(value[1]! & 0x80)) throw fail('not minimally encoded');
  if (value[0] === 0 && value.length > 1) value = value.subarray(1);
  if (value.length > size) throw fail(`longer than the ${size} bytes of ${curve}`);
  if (value.every((byte) => byte === 0)) throw fail('zero');
  const padded = Buffer.alloc(size);
  value.copy(padded, size - value.length);
  return padded;
}
