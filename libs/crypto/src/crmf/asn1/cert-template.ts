/**
 * RFC 4211 section 5 (module DEFINITIONS IMPLICIT TAGS): CertTemplate and OptionalValidity. Name and Time are
 * CHOICE types, so their tags stay explicit; everything else is implicitly tagged.
 */
import { AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extensions, Name, SubjectPublicKeyInfo, Time } from '@peculiar/asn1-x509';

/**
 * ```asn
 * OptionalValidity ::= SEQUENCE {
 *   notBefore  [0] Time OPTIONAL,
 *   notAfter   [1] Time OPTIONAL }
 * ```
 */
export class OptionalValidity {
  @AsnProp({ type: Time, context: 0, optional: true })
  notBefore?: Time;

  @AsnProp({ type: Time, context: 1, optional: true })
  notAfter?: Time;

  constructor(params: Partial<OptionalValidity> = {}) {
    Object.assign(this, params);
  }
}

/**
 * ```asn
 * CertTemplate ::= SEQUENCE {
 *   version      [0] Version               OPTIONAL,
 *   serialNumber [1] INTEGER               OPTIONAL,
 *   signingAlg   [2] AlgorithmIdentifier   OPTIONAL,
 *   issuer       [3] Name                  OPTIONAL,
 *   validity     [4] OptionalValidity      OPTIONAL,
 *   subject      [5] Name                  OPTIONAL,
 *   publicKey    [6] SubjectPublicKeyInfo  OPTIONAL,
 *   issuerUID    [7] UniqueIdentifier      OPTIONAL,
 *   subjectUID   [8] UniqueIdentifier      OPTIONAL,
 *   extensions   [9] Extensions            OPTIONAL }
 * ```
 */
export class CertTemplate {
  @AsnProp({ type: AsnPropTypes.Integer, context: 0, implicit: true, optional: true })
  version?: number;

  @AsnProp({ type: AsnPropTypes.Integer, context: 1, implicit: true, optional: true, converter: AsnIntegerArrayBufferConverter })
  serialNumber?: ArrayBuffer;

  @AsnProp({ type: AlgorithmIdentifier, context: 2, implicit: true, optional: true })
  signingAlg?: AlgorithmIdentifier;

  @AsnProp({ type: Name, context: 3, optional: true })
  issuer?: Name;

  @AsnProp({ type: OptionalValidity, context: 4, implicit: true, optional: true })
  validity?: OptionalValidity;

  @AsnProp({ type: Name, context: 5, optional: true })
  subject?: Name;

  @AsnProp({ type: SubjectPublicKeyInfo, context: 6, implicit: true, optional: true })
  publicKey?: SubjectPublicKeyInfo;

  @AsnProp({ type: AsnPropTypes.BitString, context: 7, implicit: true, optional: true })
  issuerUID?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.BitString, context: 8, implicit: true, optional: true })
  subjectUID?: ArrayBuffer;

  @AsnProp({ type: Extensions, context: 9, implicit: true, optional: true })
  extensions?: Extensions;

  constructor(params: Partial<CertTemplate> = {}) {
    Object.assign(this, params);
  }
}
