/**
 * SM-PKI initial request: `ContentInfo { 0.4.0.127.0.7.4.1.1.1, [0] CertReqMessages }`, normally three requests
 * (SIG, ENC, TLS) of one market participant, each with a signature proof of possession. How many requests and
 * which purposes a CA accepts is its business; this checks each request on its own.
 */
import type { CrmfCertificateRequest } from './crmf-certificate-request';
import { parseCertReqMessages, type ParseCertReqMessagesOptions } from './parse-cert-req-messages';
import { expectContentType, readRequestContentInfo, type RequestInput } from './request-content-info';
import { SM_PKI_INITIAL_REQUEST_OID } from './sm-pki-request-content-types';

export interface SmPkiInitialRequest {
  kind: 'initial';
  requests: CrmfCertificateRequest[];
}

/** Parses and checks an initial request; throws {@link CrmfInputError} naming the rule that refused it. */
export function parseInitialRequest(input: RequestInput, options: ParseCertReqMessagesOptions = {}): SmPkiInitialRequest {
  const { contentType, content } = readRequestContentInfo(input);
  expectContentType(contentType, SM_PKI_INITIAL_REQUEST_OID);
  return { kind: 'initial', requests: parseCertReqMessages(content, options) };
}
