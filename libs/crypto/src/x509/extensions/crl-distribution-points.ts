/**
 * cRLDistributionPoints (RFC 5280 4.2.1.13) and freshestCRL (4.2.1.15, where delta CRLs are). SM-PKI certificates
 * name an LDAP URL and an HTTP URL; certificates under an indirect CRL also name the CRL signer in cRLIssuer.
 * The DistributionPointName encoding is shared with the CRL issuingDistributionPoint extension.
 */
import { asBuffer, DerSequenceReader, iterateChildren, malformed, readWhole, type Tlv } from '../../der/der-reader';
import { contextTag, DerTag } from '../../der/der-tags';
import { derContext, derSequence } from '../../der/der-writer';
import { decodeBitString } from '../../der/der-values';
import { decodeNamedBits, encodeNamedBits } from '../../der/named-bit-string';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';
import { decodeGeneralNames, encodeImplicitGeneralNames, type GeneralName, type GeneralNameInput } from '../general-name';

/** ReasonFlags bits, in bit order (bit 0 `unused`). */
export const REASON_FLAGS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type ReasonFlag = (typeof REASON_FLAGS)[number];

/** A name given as a plain string is a URI. */
export type DistributionPointNameInput = GeneralNameInput | string;

export interface DistributionPointInput {
  /** Where the CRL is (`ldap://...`, `http://...`). */
  fullName?: readonly DistributionPointNameInput[];
  reasons?: readonly ReasonFlag[];
  /** The CRL's signer when it is not the certificate's issuer (indirect CRL). */
  crlIssuer?: readonly GeneralNameInput[];
}

export interface DistributionPoint {
  fullName?: GeneralName[];
  /** nameRelativeToCRLIssuer, as its DER (rare; not written by smpki). */
  nameRelativeToCrlIssuer?: Buffer;
  reasons?: ReasonFlag[];
  crlIssuer?: GeneralName[];
}

function asGeneralNames(names: readonly DistributionPointNameInput[]): GeneralNameInput[] {
  return names.map((name) => (typeof name === 'string' ? { uri: name } : name));
}

/** DistributionPointName as the `[0]` field of DistributionPoint / IssuingDistributionPoint (a CHOICE, so EXPLICIT). */
export function encodeDistributionPointName(fullName: readonly DistributionPointNameInput[]): Buffer {
  return derContext(0, true, encodeImplicitGeneralNames(0, asGeneralNames(fullName)));
}

export function decodeDistributionPointName(der: Buffer, tlv: Tlv, what: string): Pick<DistributionPoint, 'fullName' | 'nameRelativeToCrlIssuer'> {
  const inner = iterateChildren(der, tlv, what).next();
  if (inner.done || inner.value.end !== tlv.end) throw malformed(what, 'DistributionPointName must hold exactly one choice');
  if (inner.value.tag === contextTag(0, true)) return { fullName: decodeGeneralNames(der, inner.value, `${what} fullName`) };
  if (inner.value.tag === contextTag(1, true)) return { nameRelativeToCrlIssuer: der.subarray(inner.value.offset, inner.value.end) };
  throw malformed(what, `unknown DistributionPointName choice 0x${inner.value.tag.toString(16)}`);
}

function encodeDistributionPoint(point: DistributionPointInput): Buffer {
  if (!point.fullName && !point.crlIssuer) throw new TypeError('a distribution point needs a fullName or a cRLIssuer');
  return derSequence(
    ...(point.fullName ? [encodeDistributionPointName(point.fullName)] : []),
    ...(point.reasons ? [retag(encodeNamedBits(point.reasons, REASON_FLAGS, 'reason flag'), contextTag(1, false))] : []),
    ...(point.crlIssuer ? [encodeImplicitGeneralNames(2, point.crlIssuer)] : []),
  );
}

function retag(encoded: Buffer, tag: number): Buffer {
  encoded[0] = tag;
  return encoded;
}

function encodePoints(points: readonly DistributionPointInput[]): Buffer {
  if (points.length === 0) throw new TypeError('at least one distribution point is needed');
  return derSequence(...points.map(encodeDistributionPoint));
}

export function crlDistributionPoints(points: readonly DistributionPointInput[], options: ExtensionOptions = {}): CertificateExtension {
  return { oid: CertificateExtensionOids.cRLDistributionPoints, critical: options.critical ?? false, value: encodePoints(points) };
}

/** freshestCRL: where the delta CRLs are (same syntax as cRLDistributionPoints; MUST be non-critical). */
export function freshestCrl(points: readonly DistributionPointInput[], options: ExtensionOptions = {}): CertificateExtension {
  return { oid: CertificateExtensionOids.freshestCRL, critical: options.critical ?? false, value: encodePoints(points) };
}

export function decodeCrlDistributionPoints(value: Uint8Array): DistributionPoint[] {
  return decodeExtensionValue('cRLDistributionPoints', () => {
    const der = asBuffer(value);
    const sequence = readWhole(der, DerTag.SEQUENCE, 'CRLDistributionPoints');
    return [...iterateChildren(der, sequence, 'CRLDistributionPoints')].map((tlv) => {
      if (tlv.tag !== DerTag.SEQUENCE) throw malformed('DistributionPoint', 'must be a SEQUENCE');
      const reader = new DerSequenceReader(der, tlv, 'DistributionPoint');
      const name = reader.optional(contextTag(0, true), 'distributionPoint');
      const reasons = reader.optional(contextTag(1, false), 'reasons');
      const crlIssuer = reader.optional(contextTag(2, true), 'cRLIssuer');
      reader.end();
      return {
        ...(name && decodeDistributionPointName(der, name, 'distributionPoint')),
        ...(reasons && { reasons: decodeNamedBits(decodeBitString(der.subarray(reasons.valueOffset, reasons.end), 'reasons'), REASON_FLAGS) }),
        ...(crlIssuer && { crlIssuer: decodeGeneralNames(der, crlIssuer, 'cRLIssuer') }),
      };
    });
  });
}
