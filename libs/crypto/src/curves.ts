/** The elliptic curves smpki accepts, with what encoding and verification need to know about each. */
import type { Curve, HashAlgorithm } from '@smpki/hsm';
import { CurveOids } from './oids';

export interface EcCurve {
  name: Curve;
  /** Named-curve OID (the SPKI algorithm parameter). */
  oid: string;
  /** Field size in bytes: the length of r, s and each point coordinate. */
  size: number;
  /** The curve's name in node:crypto / OpenSSL. */
  nodeName: string;
  /** Hash whose strength matches the curve: the signature hash when the caller names none. */
  defaultHash: HashAlgorithm;
}

export const EC_CURVES: readonly EcCurve[] = [
  { name: 'brainpoolP256r1', oid: CurveOids.brainpoolP256r1, size: 32, nodeName: 'brainpoolP256r1', defaultHash: 'SHA-256' },
  { name: 'brainpoolP384r1', oid: CurveOids.brainpoolP384r1, size: 48, nodeName: 'brainpoolP384r1', defaultHash: 'SHA-384' },
  { name: 'brainpoolP512r1', oid: CurveOids.brainpoolP512r1, size: 64, nodeName: 'brainpoolP512r1', defaultHash: 'SHA-512' },
  { name: 'P-256', oid: CurveOids['P-256'], size: 32, nodeName: 'prime256v1', defaultHash: 'SHA-256' },
  { name: 'P-384', oid: CurveOids['P-384'], size: 48, nodeName: 'secp384r1', defaultHash: 'SHA-384' },
];

/** Every curve smpki accepts by default. */
export const ALLOWED_CURVES: readonly Curve[] = EC_CURVES.map((curve) => curve.name);

export function ecCurve(name: Curve): EcCurve {
  const curve = EC_CURVES.find((candidate) => candidate.name === name);
  if (!curve) throw new TypeError(`unsupported curve '${String(name)}' (supported: ${ALLOWED_CURVES.join(', ')})`);
  return curve;
}

export function ecCurveByOid(oid: string): EcCurve | undefined {
  return EC_CURVES.find((curve) => curve.oid === oid);
}

/** Names of some curves we refuse, so an error can say which curve it saw. */
export const KNOWN_OTHER_CURVES: Readonly<Record<string, string>> = {
  '1.3.132.0.10': 'secp256k1',
  '1.3.132.0.35': 'P-521',
  '1.2.840.10045.3.1.1': 'P-192',
  '1.3.132.0.33': 'P-224',
  '1.3.36.3.3.2.8.1.1.8': 'brainpoolP256t1',
  '1.3.36.3.3.2.8.1.1.9': 'brainpoolP320r1',
  '1.3.36.3.3.2.8.1.1.12': 'brainpoolP384t1',
  '1.3.36.3.3.2.8.1.1.14': 'brainpoolP512t1',
};
