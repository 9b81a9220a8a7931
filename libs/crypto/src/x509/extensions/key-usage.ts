/** keyUsage (RFC 5280 4.2.1.3): critical by default, as the SM-PKI profile requires. */
import { asBuffer, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { decodeBitString } from '../../der/der-values';
import { decodeNamedBits, encodeNamedBits } from '../../der/named-bit-string';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';

/** In bit order. `nonRepudiation` is also called contentCommitment. */
export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export type KeyUsage = (typeof KEY_USAGES)[number];

export function keyUsage(usages: readonly KeyUsage[], options: ExtensionOptions = {}): CertificateExtension {
  if (usages.length === 0) throw new TypeError('keyUsage needs at least one usage');
  return { oid: CertificateExtensionOids.keyUsage, critical: options.critical ?? true, value: encodeNamedBits(usages, KEY_USAGES, 'key usage') };
}

export function decodeKeyUsage(value: Uint8Array): KeyUsage[] {
  return decodeExtensionValue('keyUsage', () => {
    const der = asBuffer(value);
    const tlv = readWhole(der, DerTag.BIT_STRING, 'KeyUsage');
    return decodeNamedBits(decodeBitString(der.subarray(tlv.valueOffset, tlv.end), 'KeyUsage'), KEY_USAGES);
  });
}
