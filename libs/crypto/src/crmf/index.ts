/** SM-PKI certificate requests (RFC 4211 CRMF inside CMS, BSI TR-03109-4): parsing, checking, encoding. */
export { CrmfInputError, isRequestRefusal, type CrmfRule } from './crmf-input-error';
export { SM_PKI_INITIAL_REQUEST_OID, SM_PKI_RENEWAL_REQUEST_OID } from './sm-pki-request-content-types';
export type { CrmfCertificateRequest } from './crmf-certificate-request';
export { MAX_REQUEST_BYTES, type RequestInput } from './request-content-info';
export { readRequestPublicKey, type RequestPublicKey } from './request-public-key';
export { requestPurpose, type SmPkiKeyPurpose } from './request-purpose';
export { DEFAULT_MAX_REQUESTS, parseCertReqMessages, type ParseCertReqMessagesOptions } from './parse-cert-req-messages';
export { parseInitialRequest, type SmPkiInitialRequest } from './parse-initial-request';
export { parseRenewalRequest, type RenewalRequestOptions, type SmPkiRenewalRequest } from './parse-renewal-request';
export { parseSmPkiRequest, type SmPkiRequest } from './parse-sm-pki-request';
export { checkRenewalSigner, type RenewalSigner, type RenewalSignerCheckOptions, type RenewalSignerStatus } from './renewal-signer';
export {
  encodeCertReqMessages,
  encodeInitialRequest,
  encodeRenewalRequest,
  type CertificateRequestToEncode,
  type RenewalSignerToEncode,
} from './encode-cert-req-messages';
export { smPkiRequestExtensions, type SmPkiRequestExtensionsInput, type SubjectAltNames } from './sm-pki-request-extensions';
export * from './asn1';
