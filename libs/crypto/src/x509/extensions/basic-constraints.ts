/** basicConstraints (RFC 5280 4.2.1.9): critical by default, as the SM-PKI profile requires. */
import { asBuffer, DerSequenceReader, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { derBoolean, derInteger, derSequence } from '../../der/der-writer';
import { decodeBoolean, decodeSmallInteger } from '../../der/der-values';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';

export interface BasicConstraints {
  ca: boolean;
  /** Only for CAs: how many CA certificates may follow this one in a path (0: only end entities below). */
  pathLength?: number;
}

export function basicConstraints(constraints: BasicConstraints, options: ExtensionOptions = {}): CertificateExtension {
  const { ca, pathLength } = constraints;
  if (pathLength !== undefined && (!ca || !Number.isInteger(pathLength) || pathLength < 0)) {
    throw new TypeError('basicConstraints: pathLength is a non-negative integer and only for CA certificates');
  }
  // DER leaves out cA when it has its DEFAULT value FALSE.
  const parts = [...(ca ? [derBoolean(true)] : []), ...(pathLength !== undefined ? [derInteger(pathLength)] : [])];
  return { oid: CertificateExtensionOids.basicConstraints, critical: options.critical ?? true, value: derSequence(...parts) };
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  return decodeExtensionValue('basicConstraints', () => {
    const der = asBuffer(value);
    const reader = new DerSequenceReader(der, readWhole(der, DerTag.SEQUENCE, 'BasicConstraints'), 'BasicConstraints');
    const caTlv = reader.optional(DerTag.BOOLEAN, 'cA');
    const pathTlv = reader.optional(DerTag.INTEGER, 'pathLenConstraint');
    reader.end();
    const ca = caTlv ? decodeBoolean(der.subarray(caTlv.valueOffset, caTlv.end), 'cA') : false;
    return pathTlv ? { ca, pathLength: decodeSmallInteger(der.subarray(pathTlv.valueOffset, pathTlv.end), 'pathLenConstraint') } : { ca };
  });
}
