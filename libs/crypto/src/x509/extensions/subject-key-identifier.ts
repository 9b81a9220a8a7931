/** subjectKeyIdentifier (RFC 5280 4.2.1.2): MUST be non-critical; method 1 (SHA-1 of the key) by default. */
import { asBuffer, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { derOctetString } from '../../der/der-writer';
import { keyIdentifierFromSpki } from '../../keys/key-identifier';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';

/** From a key identifier, or from the subject's SPKI (`{ spki }`: RFC 5280 method 1). */
export function subjectKeyIdentifier(key: Uint8Array | { spki: Uint8Array }, options: ExtensionOptions = {}): CertificateExtension {
  const keyIdentifier = key instanceof Uint8Array ? key : keyIdentifierFromSpki(key.spki);
  if (keyIdentifier.length === 0) throw new TypeError('subjectKeyIdentifier: empty key identifier');
  return { oid: CertificateExtensionOids.subjectKeyIdentifier, critical: options.critical ?? false, value: derOctetString(keyIdentifier) };
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Buffer {
  return decodeExtensionValue('subjectKeyIdentifier', () => {
    const der = asBuffer(value);
    const tlv = readWhole(der, DerTag.OCTET_STRING, 'SubjectKeyIdentifier');
    return der.subarray(tlv.valueOffset, tlv.end);
  });
}
