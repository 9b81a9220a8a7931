/** EC public keys as PKCS#11 stores them (CKA_EC_POINT) and as the world exchanges them (SPKI DER). */
import type { CurveInfo } from './curves';
import { encodeTlv, readTlv } from './der';

/** DER of the id-ecPublicKey OID (1.2.840.10045.2.1). */
const ID_EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex');

/**
 * The uncompressed point 04||X||Y from CKA_EC_POINT. PKCS#11 says the attribute is a DER OCTET STRING around the
 * point (SoftHSM: `04 41 04 ...`); some modules return the bare point, which is accepted too.
 */
export function ecPointFromAttribute(value: Buffer, curve: CurveInfo): Buffer {
  const pointLength = 1 + 2 * curve.size;
  const octets = readTlv(value);
  if (octets && octets.tag === 0x04 && octets.end === value.length && octets.value.length === pointLength && octets.value[0] === 0x04) {
    return Buffer.from(octets.value);
  }
  if (value.length === pointLength && value[0] === 0x04) return Buffer.from(value);
  throw new Error(`CKA_EC_POINT is not an uncompressed ${curve.name} point (${value.length} bytes)`);
}

/** SubjectPublicKeyInfo DER for a named-curve EC key. */
export function ecSpki(point: Buffer, curve: CurveInfo): Buffer {
  const algorithm = encodeTlv(0x30, Buffer.concat([ID_EC_PUBLIC_KEY, curve.ecParams]));
  const subjectPublicKey = encodeTlv(0x03, Buffer.concat([Buffer.from([0]), point]));
  return encodeTlv(0x30, Buffer.concat([algorithm, subjectPublicKey]));
}
