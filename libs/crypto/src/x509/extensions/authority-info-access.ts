/** authorityInfoAccess (RFC 5280 4.2.2.1): where the issuer's certificate is (caIssuers) and OCSP. MUST be non-critical. */
import { asBuffer, DerSequenceReader, iterateChildren, malformed, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { derOid, derSequence } from '../../der/der-writer';
import { decodeOidContents } from '../../der/object-identifier';
import { CertificateExtensionOids, PkixOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';
import { decodeGeneralName, encodeGeneralName, type GeneralName, type GeneralNameInput } from '../general-name';

export interface AuthorityInfoAccessInput {
  /** URLs of the issuer's certificate (plain strings are URIs). */
  caIssuers?: readonly (string | GeneralNameInput)[];
  ocsp?: readonly (string | GeneralNameInput)[];
}

export interface AccessDescription {
  /** Access method OID (caIssuers `1.3.6.1.5.5.7.48.2`, ocsp `1.3.6.1.5.5.7.48.1`). */
  method: string;
  location: GeneralName;
}

export function authorityInfoAccess(access: AuthorityInfoAccessInput, options: ExtensionOptions = {}): CertificateExtension {
  const description = (method: string) => (location: string | GeneralNameInput) =>
    derSequence(derOid(method), encodeGeneralName(typeof location === 'string' ? { uri: location } : location));
  const descriptions = [...(access.ocsp ?? []).map(description(PkixOids.ocsp)), ...(access.caIssuers ?? []).map(description(PkixOids.caIssuers))];
  if (descriptions.length === 0) throw new TypeError('authorityInfoAccess needs a caIssuers or ocsp location');
  return { oid: CertificateExtensionOids.authorityInfoAccess, critical: options.critical ?? false, value: derSequence(...descriptions) };
}

export function decodeAuthorityInfoAccess(value: Uint8Array): AccessDescription[] {
  return decodeExtensionValue('authorityInfoAccess', () => {
    const der = asBuffer(value);
    const sequence = readWhole(der, DerTag.SEQUENCE, 'AuthorityInfoAccessSyntax');
    return [...iterateChildren(der, sequence, 'AuthorityInfoAccessSyntax')].map((tlv) => {
      if (tlv.tag !== DerTag.SEQUENCE) throw malformed('AccessDescription', 'must be a SEQUENCE');
      const reader = new DerSequenceReader(der, tlv, 'AccessDescription');
      const method = reader.next(DerTag.OBJECT_IDENTIFIER, 'accessMethod');
      const location = reader.nextAny('accessLocation');
      reader.end();
      return { method: decodeOidContents(der.subarray(method.valueOffset, method.end)), location: decodeGeneralName(der, location, 'accessLocation') };
    });
  });
}
