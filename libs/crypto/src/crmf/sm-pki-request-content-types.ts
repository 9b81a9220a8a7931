/**
 * ContentInfo types of SM-PKI certificate requests (BSI TR-03109-4; the TR-03129-4 web service carries them).
 */
import { SmPkiOids } from '../oids';

/** Initial request: `ContentInfo { contentType, [0] CertReqMessages }`; also the eContentType inside a renewal. */
export const SM_PKI_INITIAL_REQUEST_OID: string = SmPkiOids.initialRequest;

/** Renewal (follow-up) request: `ContentInfo { contentType, [0] SignedData }` signed with the old signature key. */
export const SM_PKI_RENEWAL_REQUEST_OID: string = SmPkiOids.renewalRequest;
