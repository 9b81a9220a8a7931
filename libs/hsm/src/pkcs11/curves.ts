/** The elliptic curves smpki uses, with what PKCS#11 (CKA_EC_PARAMS), node:crypto and ECDSA need to know. */
import type { Curve, HashAlgorithm } from '../key-manager';

export interface CurveInfo {
  name: Curve;
  /** DER of the named-curve OID, the value of CKA_EC_PARAMS. */
  ecParams: Buffer;
  /** Field size in bytes: the length of r, s and each point coordinate. */
  size: number;
  /** The curve's name in node:crypto / OpenSSL. */
  nodeName: string;
  /** Hash whose strength matches the curve (used when the caller names none). */
  defaultHash: HashAlgorithm;
}

const TABLE: readonly CurveInfo[] = [
  { name: 'brainpoolP256r1', ecParams: Buffer.from('06092b2403030208010107', 'hex'), size: 32, nodeName: 'brainpoolP256r1', defaultHash: 'SHA-256' },
  { name: 'brainpoolP384r1', ecParams: Buffer.from('06092b240303020801010b', 'hex'), size: 48, nodeName: 'brainpoolP384r1', defaultHash: 'SHA-384' },
  { name: 'brainpoolP512r1', ecParams: Buffer.from('06092b240303020801010d', 'hex'), size: 64, nodeName: 'brainpoolP512r1', defaultHash: 'SHA-512' },
  { name: 'P-256', ecParams: Buffer.from('06082a8648ce3d030107', 'hex'), size: 32, nodeName: 'prime256v1', defaultHash: 'SHA-256' },
  { name: 'P-384', ecParams: Buffer.from('06052b81040022', 'hex'), size: 48, nodeName: 'secp384r1', defaultHash: 'SHA-384' },
];

export const SUPPORTED_CURVES: readonly Curve[] = TABLE.map((c) => c.name);

export function curveInfo(name: Curve): CurveInfo {
  const info = TABLE.find((c) => c.name === name);
  if (!info) throw new Error(`unsupported curve '${String(name)}' (supported: ${SUPPORTED_CURVES.join(', ')})`);
  return info;
}

export function isCurve(name: unknown): name is Curve {
  return TABLE.some((c) => c.name === name);
}

/** The curve whose named-curve OID is `ecParams`, or undefined for other curves and explicit parameters. */
export function curveFromEcParams(ecParams: Buffer): CurveInfo | undefined {
  return TABLE.find((c) => c.ecParams.equals(ecParams));
}

/** The curve of a node:crypto key (`asymmetricKeyDetails.namedCurve`). */
export function curveFromNodeName(nodeName: string | undefined): CurveInfo | undefined {
  return TABLE.find((c) => c.nodeName === nodeName);
}

/** `SHA-256` -> `sha256` for node:crypto. */
export function nodeHashName(hash: HashAlgorithm): string {
  return hash.replace('-', '').toLowerCase();
}
