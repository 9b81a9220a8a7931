/**
 * CRL extensions (RFC 5280 5.2): cRLNumber, deltaCRLIndicator (critical; makes a CRL a delta CRL against a base
 * CRL number) and issuingDistributionPoint (critical; scope of the CRL, `indirectCRL` for a CRL signed by a CRL
 * signer on behalf of a CA, as the SM-PKI root does). authorityKeyIdentifier comes from x509/extensions.
 */
import { asBuffer, DerSequenceReader, readWhole } from '../der/der-reader';
import { contextTag, DerTag } from '../der/der-tags';
import { derBoolean, derInteger, derSequence } from '../der/der-writer';
import { decodeBigInteger, decodeBitString, decodeBoolean } from '../der/der-values';
import { decodeNamedBits, encodeNamedBits } from '../der/named-bit-string';
import { CrlExtensionOids } from '../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../x509/certificate-extension';
import {
  decodeDistributionPointName,
  encodeDistributionPointName,
  REASON_FLAGS,
  type DistributionPointNameInput,
  type ReasonFlag,
} from '../x509/extensions/crl-distribution-points';
import type { GeneralName } from '../x509/general-name';

/** A CRL number: a non-negative INTEGER of at most 20 octets (RFC 5280 5.2.3). */
export function crlNumberInteger(value: bigint | number, what: string): Buffer {
  if ((typeof value !== 'bigint' && !Number.isSafeInteger(value)) || BigInt(value) < 0n) {
    throw new RangeError(`${what} must be a non-negative integer`);
  }
  const encoded = derInteger(value);
  if (encoded.length - 2 > 20) throw new RangeError(`${what} is longer than the 20 octets RFC 5280 allows`);
  return encoded;
}

export function crlNumber(value: bigint | number, options: ExtensionOptions = {}): CertificateExtension {
  return { oid: CrlExtensionOids.cRLNumber, critical: options.critical ?? false, value: crlNumberInteger(value, 'cRLNumber') };
}

/** Marks a delta CRL: `baseCrlNumber` is the number of the full CRL it updates. Always critical. */
export function deltaCrlIndicator(baseCrlNumber: bigint | number): CertificateExtension {
  return { oid: CrlExtensionOids.deltaCRLIndicator, critical: true, value: crlNumberInteger(baseCrlNumber, 'deltaCRLIndicator') };
}

/** Decodes a cRLNumber or deltaCRLIndicator value. */
export function decodeCrlNumber(value: Uint8Array): bigint {
  return decodeExtensionValue('cRLNumber', () => {
    const der = asBuffer(value);
    const tlv = readWhole(der, DerTag.INTEGER, 'CRLNumber');
    return decodeBigInteger(der.subarray(tlv.valueOffset, tlv.end), 'CRLNumber');
  });
}

export interface IssuingDistributionPointInput {
  /** Where this CRL is published (plain strings are URIs). */
  distributionPoint?: readonly DistributionPointNameInput[];
  onlyContainsUserCerts?: boolean;
  onlyContainsCaCerts?: boolean;
  onlySomeReasons?: readonly ReasonFlag[];
  /** The CRL lists certificates of issuers other than the CRL issuer (certificateIssuer entry extensions). */
  indirectCrl?: boolean;
  onlyContainsAttributeCerts?: boolean;
}

export interface IssuingDistributionPoint {
  distributionPoint?: GeneralName[];
  onlyContainsUserCerts: boolean;
  onlyContainsCaCerts: boolean;
  onlySomeReasons?: ReasonFlag[];
  indirectCrl: boolean;
  onlyContainsAttributeCerts: boolean;
}

/** Critical by default, as RFC 5280 5.2.5 requires. */
export function issuingDistributionPoint(input: IssuingDistributionPointInput, options: ExtensionOptions = {}): CertificateExtension {
  const scopes = [input.onlyContainsUserCerts, input.onlyContainsCaCerts, input.onlyContainsAttributeCerts].filter(Boolean).length;
  if (scopes > 1) throw new TypeError('issuingDistributionPoint: at most one of onlyContainsUserCerts, onlyContainsCaCerts, onlyContainsAttributeCerts');
  const flag = (tagNumber: number, value: boolean | undefined) => (value ? [retag(Buffer.from(derBoolean(true)), contextTag(tagNumber, false))] : []);
  const value = derSequence(
    ...(input.distributionPoint ? [encodeDistributionPointName(input.distributionPoint)] : []),
    ...flag(1, input.onlyContainsUserCerts),
    ...flag(2, input.onlyContainsCaCerts),
    ...(input.onlySomeReasons ? [retag(encodeNamedBits(input.onlySomeReasons, REASON_FLAGS, 'reason flag'), contextTag(3, false))] : []),
    ...flag(4, input.indirectCrl),
    ...flag(5, input.onlyContainsAttributeCerts),
  );
  return { oid: CrlExtensionOids.issuingDistributionPoint, critical: options.critical ?? true, value };
}

function retag(encoded: Buffer, tag: number): Buffer {
  encoded[0] = tag;
  return encoded;
}

export function decodeIssuingDistributionPoint(value: Uint8Array): IssuingDistributionPoint {
  return decodeExtensionValue('issuingDistributionPoint', () => {
    const der = asBuffer(value);
    const reader = new DerSequenceReader(der, readWhole(der, DerTag.SEQUENCE, 'IssuingDistributionPoint'), 'IssuingDistributionPoint');
    const name = reader.optional(contextTag(0, true), 'distributionPoint');
    const bool = (tagNumber: number, field: string) => {
      const tlv = reader.optional(contextTag(tagNumber, false), field);
      return tlv ? decodeBoolean(der.subarray(tlv.valueOffset, tlv.end), field) : false;
    };
    const onlyContainsUserCerts = bool(1, 'onlyContainsUserCerts');
    const onlyContainsCaCerts = bool(2, 'onlyContainsCACerts');
    const reasons = reader.optional(contextTag(3, false), 'onlySomeReasons');
    const indirectCrl = bool(4, 'indirectCRL');
    const onlyContainsAttributeCerts = bool(5, 'onlyContainsAttributeCerts');
    reader.end();
    const fullName = name ? decodeDistributionPointName(der, name, 'distributionPoint').fullName : undefined;
    return {
      ...(fullName && { distributionPoint: fullName }),
      onlyContainsUserCerts,
      onlyContainsCaCerts,
      ...(reasons && { onlySomeReasons: decodeNamedBits(decodeBitString(der.subarray(reasons.valueOffset, reasons.end), 'onlySomeReasons'), REASON_FLAGS) }),
      indirectCrl,
      onlyContainsAttributeCerts,
    };
  });
}
