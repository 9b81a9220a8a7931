/**
 * SM-PKI renewal (follow-up) request: `ContentInfo { 0.4.0.127.0.7.4.1.1.2, [0] SignedData }` whose encapsulated
 * content (type 0.4.0.127.0.7.4.1.1.1) is a new CertReqMessages, signed with the requester's old signature key.
 * Order of checks: the SignedData signature, the signer certificate (purpose, issuer signature, trust, validity,
 * status via the caller's hook), then each inner request with its proof of possession, then that every request
 * names the signer's subject.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { verifySignedData, type VerifiedSignedData } from '../cms/verify-signed-data';
import { parseName } from '../x509/name';
import { namesMatch } from '../x509/name-match';
import type { CrmfCertificateRequest } from './crmf-certificate-request';
import { CrmfInputError, type CrmfRule } from './crmf-input-error';
import { parseCertReqMessages, type ParseCertReqMessagesOptions } from './parse-cert-req-messages';
import { checkRenewalSigner, type RenewalSigner, type RenewalSignerCheckOptions } from './renewal-signer';
import { expectContentType, readRequestContentInfo, type RequestInput } from './request-content-info';
import { SM_PKI_INITIAL_REQUEST_OID, SM_PKI_RENEWAL_REQUEST_OID } from './sm-pki-request-content-types';

export interface SmPkiRenewalRequest {
  kind: 'renewal';
  requests: CrmfCertificateRequest[];
  /** The old signature certificate that signed the request, checked as described in renewal-signer.ts. */
  signer: RenewalSigner;
}

export type RenewalRequestOptions = RenewalSignerCheckOptions & ParseCertReqMessagesOptions;

export async function parseRenewalRequest(input: RequestInput, options: RenewalRequestOptions): Promise<SmPkiRenewalRequest> {
  const { contentType, content } = readRequestContentInfo(input);
  expectContentType(contentType, SM_PKI_RENEWAL_REQUEST_OID);
  return parseRenewalContent(content, options);
}

/** The renewal's SignedData (the ContentInfo's content), checked as described above. */
export async function parseRenewalContent(content: Buffer, options: RenewalRequestOptions): Promise<SmPkiRenewalRequest> {
  const signed = verifyRenewalSignature(content);
  if (signed.contentType !== SM_PKI_INITIAL_REQUEST_OID) {
    throw new CrmfInputError('crmf.unknown-content-type', `the renewal signs content of type ${signed.contentType}, expected CertReqMessages (${SM_PKI_INITIAL_REQUEST_OID})`);
  }
  const signer = await checkRenewalSigner(signed.signer, signed.certificates, options);
  const requests = parseCertReqMessages(signed.content, options);
  requireSignerSubject(requests, signer);
  return { kind: 'renewal', requests, signer };
}

/**
 * A renewal renews the signer's own certificates: the old key vouches only for its own subject, so a request for
 * any other subject would let one participant obtain certificates in another's name.
 */
function requireSignerSubject(requests: readonly CrmfCertificateRequest[], signer: RenewalSigner): void {
  const signerSubject = parseName(Buffer.from(AsnConvert.serialize(signer.certificate.tbsCertificate.subject)), 'renewal signer subject');
  requests.forEach((request, index) => {
    if (namesMatch(parseName(request.subjectDer, `requests[${index}] subject`), signerSubject)) return;
    throw new CrmfInputError(
      'crmf.subject-mismatch',
      `requests[${index}] asks for subject '${parseName(request.subjectDer).toString()}', but the renewal is signed by the certificate of '${signerSubject.toString()}'`,
    );
  });
}

/** CMS refusals renamed into the request vocabulary, so a problem document names one family of rules. */
const CMS_TO_CRMF: Partial<Record<CrmfRule, CrmfRule>> = {
  'cms.malformed': 'crmf.malformed',
  'cms.signer-not-found': 'crmf.signer-not-found',
  'cms.signature-invalid': 'crmf.signature-invalid',
  'cms.signed-attributes': 'crmf.signed-attributes',
  'cms.unsupported-algorithm': 'crmf.signature-invalid',
};

function verifyRenewalSignature(signedData: Buffer): VerifiedSignedData {
  try {
    return verifySignedData(signedData);
  } catch (error) {
    const rule = error instanceof CrmfInputError ? CMS_TO_CRMF[error.crmfRule] : undefined;
    if (rule) throw new CrmfInputError(rule, `renewal SignedData: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
