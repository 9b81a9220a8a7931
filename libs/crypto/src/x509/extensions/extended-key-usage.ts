/** extendedKeyUsage (RFC 5280 4.2.1.12): critical by default, as the SM-PKI profile requires. */
import { asBuffer, iterateChildren, readWhole, expectTlv } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { derOid, derSequence } from '../../der/der-writer';
import { decodeOidContents } from '../../der/object-identifier';
import { CertificateExtensionOids, ExtendedKeyUsageOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';

export type ExtendedKeyUsageName = keyof typeof ExtendedKeyUsageOids;

/** `usages`: names from {@link ExtendedKeyUsageOids} (`clientAuth`, `serverAuth`, ...) or dotted OIDs. */
export function extendedKeyUsage(usages: readonly (ExtendedKeyUsageName | (string & {}))[], options: ExtensionOptions = {}): CertificateExtension {
  if (usages.length === 0) throw new TypeError('extendedKeyUsage needs at least one purpose');
  const oids = usages.map((usage) => (ExtendedKeyUsageOids as Record<string, string>)[usage] ?? usage);
  return { oid: CertificateExtensionOids.extKeyUsage, critical: options.critical ?? true, value: derSequence(...oids.map(derOid)) };
}

/** The purposes as dotted OIDs, in encoding order. */
export function decodeExtendedKeyUsage(value: Uint8Array): string[] {
  return decodeExtensionValue('extendedKeyUsage', () => {
    const der = asBuffer(value);
    const sequence = readWhole(der, DerTag.SEQUENCE, 'ExtKeyUsageSyntax');
    return [...iterateChildren(der, sequence, 'ExtKeyUsageSyntax')].map((tlv) => {
      const oid = expectTlv(der, tlv.offset, tlv.end, DerTag.OBJECT_IDENTIFIER, 'KeyPurposeId');
      return decodeOidContents(der.subarray(oid.valueOffset, oid.end), 'KeyPurposeId');
    });
  });
}
