export { CertTemplate, OptionalValidity } from './cert-template';
export { POPOSigningKey, ProofOfPossession } from './proof-of-possession';
export { CertReqMessages, CertReqMsg, CertRequest, CrmfAttributeTypeAndValue } from './cert-req-messages';
