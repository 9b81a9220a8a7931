/**
 * One entry point for the CA's request endpoint: an SM-PKI request of either kind, told apart by its content
 * type. Anything else is refused with `crmf.unknown-content-type`.
 */
import { CrmfInputError } from './crmf-input-error';
import { parseCertReqMessages } from './parse-cert-req-messages';
import type { SmPkiInitialRequest } from './parse-initial-request';
import { parseRenewalContent, type RenewalRequestOptions, type SmPkiRenewalRequest } from './parse-renewal-request';
import { readRequestContentInfo, type RequestInput } from './request-content-info';
import { SM_PKI_INITIAL_REQUEST_OID, SM_PKI_RENEWAL_REQUEST_OID } from './sm-pki-request-content-types';

export type SmPkiRequest = SmPkiInitialRequest | SmPkiRenewalRequest;

export async function parseSmPkiRequest(input: RequestInput, options: RenewalRequestOptions): Promise<SmPkiRequest> {
  const { contentType, content } = readRequestContentInfo(input);
  if (contentType === SM_PKI_INITIAL_REQUEST_OID) return { kind: 'initial', requests: parseCertReqMessages(content, options) };
  if (contentType === SM_PKI_RENEWAL_REQUEST_OID) return parseRenewalContent(content, options);
  throw new CrmfInputError(
    'crmf.unknown-content-type',
    `content type ${contentType} is not an SM-PKI request (initial ${SM_PKI_INITIAL_REQUEST_OID}, renewal ${SM_PKI_RENEWAL_REQUEST_OID})`,
  );
}
