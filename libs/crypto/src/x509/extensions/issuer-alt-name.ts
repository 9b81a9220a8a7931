/** issuerAltName (RFC 5280 4.2.1.7): the SM-PKI CAs put their contact email and URI here. Non-critical by default. */
import { asBuffer, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';
import { decodeGeneralNames, encodeGeneralNames, type GeneralName, type GeneralNameInput } from '../general-name';

export function issuerAltName(names: readonly GeneralNameInput[], options: ExtensionOptions = {}): CertificateExtension {
  return { oid: CertificateExtensionOids.issuerAltName, critical: options.critical ?? false, value: encodeGeneralNames(names) };
}

export function decodeIssuerAltName(value: Uint8Array): GeneralName[] {
  return decodeExtensionValue('issuerAltName', () => {
    const der = asBuffer(value);
    return decodeGeneralNames(der, readWhole(der, DerTag.SEQUENCE, 'IssuerAltName'), 'IssuerAltName');
  });
}
