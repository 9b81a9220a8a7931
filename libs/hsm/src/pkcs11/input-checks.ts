/** Checks of caller input that the token would reject with a less helpful return value. */
import type { AesKeyBits, CreateAesKeyOptions, Curve, SecretKeyUsage } from '../key-manager';
import { HsmError } from '../hsm-error';
import { isCurve, SUPPORTED_CURVES } from './curves';

const SECRET_KEY_USAGES: readonly SecretKeyUsage[] = ['wrap', 'unwrap', 'encrypt', 'decrypt', 'sign', 'verify', 'derive'];
/** GCM tag lengths NIST SP 800-38D allows (4 and 8 bytes only for special applications, e.g. DLMS short tags). */
const GCM_TAG_BYTES = new Set([4, 8, 12, 13, 14, 15, 16]);

function invalid(reason: string): never {
  throw new HsmError('invalid-input', reason);
}

export function checkCurve(curve: Curve): void {
  if (!isCurve(curve)) invalid(`unsupported curve '${String(curve)}' (supported: ${SUPPORTED_CURVES.join(', ')})`);
}

export function checkEcUsages(usages: ReadonlyArray<string>): void {
  if (usages.length === 0 || usages.some((usage) => usage !== 'sign' && usage !== 'derive')) {
    invalid(`EC key usages are 'sign' and/or 'derive' (got ${JSON.stringify(usages)})`);
  }
}

export function checkAesBits(bits: AesKeyBits): void {
  if (bits !== 128 && bits !== 256) invalid(`AES keys have 128 or 256 bits (got ${String(bits)})`);
}

export function checkAesOptions(options: CreateAesKeyOptions): void {
  checkAesBits(options.bits);
  if (!Array.isArray(options.usages) || options.usages.length === 0 || options.usages.some((usage) => !SECRET_KEY_USAGES.includes(usage))) {
    invalid(`AES key usages are some of ${SECRET_KEY_USAGES.join(', ')} (got ${JSON.stringify(options.usages)})`);
  }
}

/** RFC 3394 output of an AES-128 or AES-256 key: 24 or 40 bytes (optionally of the expected size). */
export function checkWrappedLength(wrapped: Uint8Array, bits?: AesKeyBits): void {
  const expected = bits === undefined ? [24, 40] : [bits / 8 + 8];
  if (!expected.includes(wrapped.length)) {
    invalid(`a wrapped ${bits ? `AES-${bits}` : 'AES'} key has ${expected.join(' or ')} bytes (RFC 3394), got ${wrapped.length}`);
  }
}

export function checkGcm(iv: Uint8Array, tagBytes: number): void {
  if (iv.length < 1 || iv.length > 128) invalid(`an AES-GCM IV has 1 to 128 bytes (12 recommended), got ${iv.length}`);
  if (!GCM_TAG_BYTES.has(tagBytes)) invalid(`an AES-GCM tag has 4, 8 or 12 to 16 bytes, got ${tagBytes}`);
}

export function checkCbc(iv: Uint8Array, data: Uint8Array): void {
  if (iv.length !== 16) invalid(`an AES-CBC IV has 16 bytes, got ${iv.length}`);
  if (data.length === 0 || data.length % 16 !== 0) invalid(`AES-CBC (no padding) needs a non-empty multiple of 16 bytes, got ${data.length}`);
}

export function checkBlock<T extends Uint8Array>(block: T, what = 'AES-ECB encrypts one'): T {
  if (!(block instanceof Uint8Array) || block.length !== 16) invalid(`${what} 16-byte block, got ${block?.length} bytes`);
  return block;
}

/** The clear value of an AES key being imported: exactly bits/8 bytes (the value itself never goes in a message). */
export function checkKeyValue(value: Uint8Array, bits: AesKeyBits): void {
  if (!(value instanceof Uint8Array) || value.length !== bits / 8) {
    invalid(`an AES-${bits} key value has ${bits / 8} bytes, got ${value instanceof Uint8Array ? value.length : typeof value}`);
  }
}

export function checkPeerPoint(point: Uint8Array): void {
  if (point[0] !== 0x04 || ![65, 97, 129].includes(point.length)) {
    invalid(`the peer public key must be an uncompressed point (04||X||Y) of a 256, 384 or 512-bit curve, got ${point.length} bytes`);
  }
}
