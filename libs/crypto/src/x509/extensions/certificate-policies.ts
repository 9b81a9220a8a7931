/**
 * certificatePolicies (RFC 5280 4.2.1.4): policy OIDs with an optional CPS URI qualifier. SM-PKI CA certificates
 * carry `0.4.0.127.0.7.3.4.1.1.1` ({@link SmPkiOids.certificatePolicy}). Non-critical by default.
 */
import { asBuffer, DerSequenceReader, iterateChildren, malformed, readWhole } from '../../der/der-reader';
import { DerTag } from '../../der/der-tags';
import { derIa5String, derOid, derSequence } from '../../der/der-writer';
import { decodeOidContents } from '../../der/object-identifier';
import { CertificateExtensionOids, PkixOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';

export interface PolicyInput {
  policy: string;
  /** CPS URI(s) (id-qt-cps qualifiers). */
  cps?: string | readonly string[];
}

export interface PolicyInformation {
  policy: string;
  cps: string[];
  /** Qualifiers other than CPS (user notices), as DER. */
  otherQualifiers: { oid: string; der: Buffer }[];
}

export function certificatePolicies(policies: readonly PolicyInput[], options: ExtensionOptions = {}): CertificateExtension {
  if (policies.length === 0) throw new TypeError('certificatePolicies needs at least one policy');
  const encoded = policies.map(({ policy, cps }) => {
    const uris = cps === undefined ? [] : typeof cps === 'string' ? [cps] : cps;
    for (const uri of uris) {
      if (!/^[\x21-\x7e]+$/.test(uri)) throw new TypeError(`CPS URI '${uri}' must be ASCII without spaces`);
    }
    const qualifiers = uris.map((uri) => derSequence(derOid(PkixOids.cpsQualifier), derIa5String(uri)));
    return derSequence(derOid(policy), ...(qualifiers.length ? [derSequence(...qualifiers)] : []));
  });
  return { oid: CertificateExtensionOids.certificatePolicies, critical: options.critical ?? false, value: derSequence(...encoded) };
}

export function decodeCertificatePolicies(value: Uint8Array): PolicyInformation[] {
  return decodeExtensionValue('certificatePolicies', () => {
    const der = asBuffer(value);
    const sequence = readWhole(der, DerTag.SEQUENCE, 'CertificatePolicies');
    return [...iterateChildren(der, sequence, 'CertificatePolicies')].map((tlv) => {
      if (tlv.tag !== DerTag.SEQUENCE) throw malformed('PolicyInformation', 'must be a SEQUENCE');
      const reader = new DerSequenceReader(der, tlv, 'PolicyInformation');
      const oid = reader.next(DerTag.OBJECT_IDENTIFIER, 'policyIdentifier');
      const qualifiers = reader.optional(DerTag.SEQUENCE, 'policyQualifiers');
      reader.end();
      const information: PolicyInformation = { policy: decodeOidContents(der.subarray(oid.valueOffset, oid.end)), cps: [], otherQualifiers: [] };
      for (const qualifier of qualifiers ? iterateChildren(der, qualifiers, 'policyQualifiers') : []) {
        const qualifierReader = new DerSequenceReader(der, qualifier, 'PolicyQualifierInfo');
        const idTlv = qualifierReader.next(DerTag.OBJECT_IDENTIFIER, 'policyQualifierId');
        const id = decodeOidContents(der.subarray(idTlv.valueOffset, idTlv.end));
        const body = qualifierReader.nextAny('qualifier');
        qualifierReader.end();
        if (id === PkixOids.cpsQualifier && body.tag === DerTag.IA5_STRING) information.cps.push(der.subarray(body.valueOffset, body.end).toString('latin1'));
        else information.otherQualifiers.push({ oid: id, der: der.subarray(body.offset, body.end) });
      }
      return information;
    });
  });
}
