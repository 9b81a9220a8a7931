/** subjectAltName (RFC 5280 4.2.1.6): email, URI, dNSName (and directoryName, IP) of the subject. Non-critical by default. */
import { asBuffer, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';
import { decodeGeneralNames, encodeGeneralNames, type GeneralName, type GeneralNameInput } from '../general-name';

export function subjectAltName(names: readonly GeneralNameInput[], options: ExtensionOptions = {}): CertificateExtension {
  return { oid: CertificateExtensionOids.subjectAltName, critical: options.critical ?? false, value: encodeGeneralNames(names) };
}

export function decodeSubjectAltName(value: Uint8Array): GeneralName[] {
  return decodeExtensionValue('subjectAltName', () => {
    const der = asBuffer(value);
    return decodeGeneralNames(der, readWhole(der, DerTag.SEQUENCE, 'SubjectAltName'), 'SubjectAltName');
  });
}
