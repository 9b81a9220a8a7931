/**
 * ECDSA signature encodings. PKCS#11 CKM_ECDSA returns r||s (each the curve size); X.509 and CMS want the DER
 * ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER }; JOSE wants r||s.
 */
import { encodeTlv, readTlv } from './der';

function integerBytes(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  // A leading 1 bit would make the INTEGER negative: prefix a zero byte.
  return trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

export function rawSignatureToDer(raw: Buffer): Buffer {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new Error(`a raw ECDSA signature has an even, non-zero length (got ${raw.length})`);
  const half = raw.length / 2;
  const r = encodeTlv(0x02, integerBytes(raw.subarray(0, half)));
  const s = encodeTlv(0x02, integerBytes(raw.subarray(half)));
  return encodeTlv(0x30, Buffer.concat([r, s]));
}

function readUnsignedInteger(input: Buffer, offset: number, size: number): { value: Buffer; end: number } | undefined {
  const tlv = readTlv(input, offset);
  if (!tlv || tlv.tag !== 0x02 || tlv.value.length === 0) return undefined;
  let bytes = tlv.value;
  if (bytes[0]! & 0x80) return undefined; // negative
  if (bytes.length > 1 && bytes[0] === 0 && !(bytes[1]! & 0x80)) return undefined; // not minimal
  if (bytes[0] === 0 && bytes.length > 1) bytes = bytes.subarray(1);
  if (bytes.length > size) return undefined;
  const value = Buffer.alloc(size);
  bytes.copy(value, size - bytes.length);
  return { value, end: tlv.end };
}

/** Parses a strict DER ECDSA-Sig-Value into r||s of `size` bytes each; undefined if it is not one. */
export function derSignatureToRaw(der: Buffer, size: number): Buffer | undefined {
  const seq = readTlv(der);
  if (!seq || seq.tag !== 0x30 || seq.end !== der.length) return undefined;
  const start = der.length - seq.value.length;
  const r = readUnsignedInteger(der, start, size);
  if (!r) return undefined;
  const s = readUnsignedInteger(der, r.end, size);
  if (!s || s.end !== der.length) return undefined;
  return Buffer.concat([r.value, s.value]);
}
