/**
 * RFC 6211 CMSAlgorithmProtection: a signed attribute repeating the digest and signature algorithms, so that an
 * attacker cannot swap the unsigned algorithm identifiers of a SignerInfo. Real SM-PKI renewals carry it.
 */
import { AsnProp } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

export const ID_AA_CMS_ALGORITHM_PROTECTION = '1.2.840.113549.1.9.52';

/**
 * ```asn
 * CMSAlgorithmProtection ::= SEQUENCE {
 *   digestAlgorithm         DigestAlgorithmIdentifier,
 *   signatureAlgorithm  [1] SignatureAlgorithmIdentifier OPTIONAL,
 *   macAlgorithm        [2] MessageAuthenticationCodeAlgorithm OPTIONAL }
 * ```
 * (module with IMPLICIT TAGS)
 */
export class CmsAlgorithmProtection {
  @AsnProp({ type: AlgorithmIdentifier })
  digestAlgorithm = new AlgorithmIdentifier();

  @AsnProp({ type: AlgorithmIdentifier, context: 1, implicit: true, optional: true })
  signatureAlgorithm?: AlgorithmIdentifier;

  @AsnProp({ type: AlgorithmIdentifier, context: 2, implicit: true, optional: true })
  macAlgorithm?: AlgorithmIdentifier;

  constructor(params: Partial<CmsAlgorithmProtection> = {}) {
    Object.assign(this, params);
  }
}
