/**
 * The public key of a certificate request, checked by the shared SPKI parser: an EC key on a named curve smpki
 * supports, uncompressed and on the curve. RSA, explicit curve parameters (a classic way to smuggle a weak curve
 * past a name check) and bad points are refused there as CryptoInputError `key.*`, before any profile is
 * consulted; whether the curve suits the requested certificate is the profile's decision (@smpki/policy,
 * rule `key.curve`).
 */
import type { KeyObject } from 'node:crypto';
import type { Curve } from '@smpki/hsm';
import { parseSubjectPublicKeyInfo, publicKeyObject } from '../keys/subject-public-key-info';

export interface RequestPublicKey {
  curve: Curve;
  /** DER SubjectPublicKeyInfo, as requested. */
  spki: Buffer;
  /** Uncompressed point 04||X||Y. */
  point: Buffer;
  /** For verifying the proof of possession (and anything else signed with the key). */
  key: KeyObject;
}

/** Checks the SPKI DER of a request; throws CryptoInputError `key.*` / `der.malformed`. */
export function readRequestPublicKey(spki: Uint8Array): RequestPublicKey {
  // The point check happens once, in publicKeyObject, which also yields the key for the POP.
  const info = parseSubjectPublicKeyInfo(spki, { validatePoint: false });
  return { curve: info.curve, spki: info.spki, point: info.point, key: publicKeyObject(info.spki) };
}
