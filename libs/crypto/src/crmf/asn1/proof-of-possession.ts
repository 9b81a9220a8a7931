/**
 * RFC 4211 section 4: ProofOfPossession and POPOSigningKey. Only the signature POP is modelled in full; the
 * other alternatives are kept as opaque values so that a request using them is recognised and refused by name.
 */
import { AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/**
 * ```asn
 * POPOSigningKey ::= SEQUENCE {
 *   poposkInput         [0] POPOSigningKeyInput OPTIONAL,
 *   algorithmIdentifier     AlgorithmIdentifier,
 *   signature               BIT STRING }
 * ```
 * `poposkInput` is kept as its raw encoding: SM-PKI clients omit it (the signature covers the certReq).
 */
export class POPOSigningKey {
  @AsnProp({ type: AsnPropTypes.Any, context: 0, implicit: true, optional: true })
  poposkInput?: ArrayBuffer;

  @AsnProp({ type: AlgorithmIdentifier })
  algorithmIdentifier = new AlgorithmIdentifier();

  @AsnProp({ type: AsnPropTypes.BitString })
  signature: ArrayBuffer = new ArrayBuffer(0);

  constructor(params: Partial<POPOSigningKey> = {}) {
    Object.assign(this, params);
  }
}

/**
 * ```asn
 * ProofOfPossession ::= CHOICE {
 *   raVerified        [0] NULL,
 *   signature         [1] POPOSigningKey,
 *   keyEncipherment   [2] POPOPrivKey,
 *   keyAgreement      [3] POPOPrivKey }
 * ```
 */
@AsnType({ type: AsnTypeTypes.Choice })
export class ProofOfPossession {
  @AsnProp({ type: AsnPropTypes.Null, context: 0, implicit: true })
  raVerified?: null;

  @AsnProp({ type: POPOSigningKey, context: 1, implicit: true })
  signature?: POPOSigningKey;

  @AsnProp({ type: AsnPropTypes.Any, context: 2 })
  keyEncipherment?: ArrayBuffer;

  @AsnProp({ type: AsnPropTypes.Any, context: 3 })
  keyAgreement?: ArrayBuffer;

  constructor(params: Partial<ProofOfPossession> = {}) {
    Object.assign(this, params);
  }
}
