/** RFC 4211 section 3 and 5: CertReqMessages, CertReqMsg, CertRequest. */
import { AsnArray, AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { CertTemplate } from './cert-template';
import { ProofOfPossession } from './proof-of-possession';

/**
 * `AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY DEFINED BY type }` as used by CRMF
 * controls and regInfo (the X.501 one of @peculiar/asn1-x509 expects a directory string as value).
 */
export class CrmfAttributeTypeAndValue {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  type = '';

  @AsnProp({ type: AsnPropTypes.Any })
  value: ArrayBuffer = new ArrayBuffer(0);

  constructor(params: Partial<CrmfAttributeTypeAndValue> = {}) {
    Object.assign(this, params);
  }
}

/**
 * ```asn
 * CertRequest ::= SEQUENCE {
 *   certReqId     INTEGER,
 *   certTemplate  CertTemplate,
 *   controls      Controls OPTIONAL }
 * ```
 */
export class CertRequest {
  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })
  certReqId: ArrayBuffer = new ArrayBuffer(1);

  @AsnProp({ type: CertTemplate })
  certTemplate = new CertTemplate();

  @AsnProp({ type: CrmfAttributeTypeAndValue, repeated: 'sequence', optional: true })
  controls?: CrmfAttributeTypeAndValue[];

  constructor(params: Partial<CertRequest> = {}) {
    Object.assign(this, params);
  }
}

/**
 * ```asn
 * CertReqMsg ::= SEQUENCE {
 *   certReq   CertRequest,
 *   popo      ProofOfPossession  OPTIONAL,
 *   regInfo   SEQUENCE SIZE(1..MAX) OF AttributeTypeAndValue OPTIONAL }
 * ```
 */
export class CertReqMsg {
  @AsnProp({ type: CertRequest })
  certReq = new CertRequest();

  @AsnProp({ type: ProofOfPossession, optional: true })
  popo?: ProofOfPossession;

  @AsnProp({ type: CrmfAttributeTypeAndValue, repeated: 'sequence', optional: true })
  regInfo?: CrmfAttributeTypeAndValue[];

  constructor(params: Partial<CertReqMsg> = {}) {
    Object.assign(this, params);
  }
}

/** `CertReqMessages ::= SEQUENCE SIZE (1..MAX) OF CertReqMsg` */
@AsnType({ type: AsnTypeTypes.Sequence, itemType: CertReqMsg })
export class CertReqMessages extends AsnArray<CertReqMsg> {
  constructor(items?: CertReqMsg[]) {
    super(items);
    Object.setPrototypeOf(this, CertReqMessages.prototype);
  }
}
