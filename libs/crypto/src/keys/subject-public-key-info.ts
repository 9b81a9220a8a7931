/**
 * SubjectPublicKeyInfo parsing that names the curve and refuses every key smpki must not certify: RSA and other
 * algorithms, EC keys on other curves, explicit curve parameters (RFC 5480 forbids them; they hide weak or
 * trojaned curves), implicitlyCA, compressed points and points off the curve. Each refusal is a
 * {@link CryptoInputError} whose rule a problem document names.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Curve } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { ALLOWED_CURVES, ecCurveByOid, KNOWN_OTHER_CURVES, type EcCurve } from '../curves';
import { asBuffer, DerSequenceReader, readWhole } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { decodeBitString } from '../der/der-values';
import { decodeOidContents } from '../der/object-identifier';
import { KeyAlgorithmOids } from '../oids';

export interface EcPublicKeyInfo {
  curve: Curve;
  curveInfo: EcCurve;
  /** Uncompressed point 04||X||Y. */
  point: Buffer;
  /** The SubjectPublicKeyInfo DER, exactly as given. */
  spki: Buffer;
  /**
   * The node:crypto key built to check the point (absent with `validatePoint: false`): verifying with it saves
   * decoding the key a second time (OpenSSL's point decoding dominates a verification's cost outside the math).
   */
  keyObject?: KeyObject;
}

export interface SpkiParseOptions {
  /** Curves accepted (default: all of {@link ALLOWED_CURVES}). */
  allowedCurves?: readonly Curve[];
  /**
   * Check that the point is on the curve with node:crypto (default true; ~20 µs). Turn it off only for keys
   * that were checked before (e.g. a certificate's own key when re-reading a stored certificate).
   */
  validatePoint?: boolean;
}

const ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  [KeyAlgorithmOids.rsaEncryption]: 'RSA',
  [KeyAlgorithmOids.rsassaPss]: 'RSASSA-PSS',
  [KeyAlgorithmOids.dsa]: 'DSA',
  [KeyAlgorithmOids.ed25519]: 'Ed25519',
  [KeyAlgorithmOids.ed448]: 'Ed448',
};

/** Parses and checks an SPKI; throws {@link CryptoInputError} naming the rule it breaks. */
export function parseSubjectPublicKeyInfo(der: Uint8Array, options: SpkiParseOptions = {}): EcPublicKeyInfo {
  const spki = asBuffer(der);
  const what = 'SubjectPublicKeyInfo';
  const outer = readWhole(spki, DerTag.SEQUENCE, what);
  const reader = new DerSequenceReader(spki, outer, what);
  const algorithmId = reader.next(DerTag.SEQUENCE, 'algorithm');
  const bitString = reader.next(DerTag.BIT_STRING, 'subjectPublicKey');
  reader.end();

  const algorithm = new DerSequenceReader(spki, algorithmId, `${what} algorithm`);
  const oidTlv = algorithm.next(DerTag.OBJECT_IDENTIFIER, 'algorithm');
  const algorithmOid = decodeOidContents(spki.subarray(oidTlv.valueOffset, oidTlv.end), what);
  if (algorithmOid !== KeyAlgorithmOids.ecPublicKey) {
    const name = ALGORITHM_NAMES[algorithmOid];
    throw new CryptoInputError('key.algorithm-not-allowed', `${name ? `${name} keys (${algorithmOid})` : `key algorithm ${algorithmOid}`} are not accepted: only elliptic-curve keys (id-ecPublicKey)`);
  }
  const curve = namedCurve(spki, algorithm.nextAny('parameters'), options.allowedCurves ?? ALLOWED_CURVES);
  algorithm.end();

  const { unusedBits, bytes: point } = decodeBitString(spki.subarray(bitString.valueOffset, bitString.end), `${what} subjectPublicKey`);
  checkPoint(point, unusedBits, curve);
  const info: EcPublicKeyInfo = { curve: curve.name, curveInfo: curve, point, spki };
  if (options.validatePoint !== false) info.keyObject = publicKeyObject(spki);
  return info;
}

function namedCurve(spki: Buffer, parameters: { tag: number; valueOffset: number; end: number }, allowed: readonly Curve[]): EcCurve {
  if (parameters.tag === DerTag.SEQUENCE) {
    throw new CryptoInputError('key.explicit-parameters', 'EC key with explicit curve parameters: only named curves are accepted (RFC 5480)');
  }
  if (parameters.tag === DerTag.NULL) {
    throw new CryptoInputError('key.curve-not-allowed', 'EC key with implicitlyCA parameters: only named curves are accepted (RFC 5480)');
  }
  if (parameters.tag !== DerTag.OBJECT_IDENTIFIER) {
    throw new CryptoInputError('der.malformed', `SubjectPublicKeyInfo: EC parameters with tag 0x${parameters.tag.toString(16)} are not ECParameters`);
  }
  const oid = decodeOidContents(spki.subarray(parameters.valueOffset, parameters.end), 'EC named curve');
  const curve = ecCurveByOid(oid);
  if (!curve || !allowed.includes(curve.name)) {
    const name = curve?.name ?? KNOWN_OTHER_CURVES[oid];
    throw new CryptoInputError('key.curve-not-allowed', `EC key on curve ${name ? `${name} (${oid})` : oid} is not accepted (allowed: ${allowed.join(', ')})`);
  }
  return curve;
}

function checkPoint(point: Buffer, unusedBits: number, curve: EcCurve): void {
  if (unusedBits !== 0) throw new CryptoInputError('key.point-invalid', 'EC public key BIT STRING has unused bits');
  if (point[0] === 0x02 || point[0] === 0x03) throw new CryptoInputError('key.point-invalid', 'compressed EC points are not accepted: points must be uncompressed');
  if (point[0] !== 0x04 || point.length !== 1 + 2 * curve.size) {
    throw new CryptoInputError('key.point-invalid', `EC point of ${point.length} bytes is not an uncompressed ${curve.name} point (${1 + 2 * curve.size} bytes starting 0x04)`);
  }
}

/** A node:crypto public key of an SPKI; fails with `key.point-invalid` when OpenSSL rejects the point. */
export function publicKeyObject(spki: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: asBuffer(spki), format: 'der', type: 'spki' });
  } catch {
    throw new CryptoInputError('key.point-invalid', 'the EC public key is not a point on its curve');
  }
}
