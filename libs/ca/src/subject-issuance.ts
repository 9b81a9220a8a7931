/**
 * The vocabulary of issuance under a subject the platform chose (meters at calibration): a key request is
 * checked first (CertificateIssuer.checkKeyRequest), so the caller can compare its key with what it stored before
 * anything is signed; it is then signed and stored with the caller's own rows in one transaction
 * (CertificateIssuer.issueChecked).
 */
import type { ProblemDocument } from '@smpki/platform';
import type { CheckedRequest } from './certificate-issuer';
import type { PendingIssuance } from './issuance-batcher';
import type { IssuedCertificate } from './issued-certificate';

export interface KeyRequestItem {
  profile: string;
  /** PKCS#10, or an SM-PKI CRMF initial request with one CertReqMsg: DER, PEM, or base64 of the DER. */
  request: Uint8Array | string;
  /** DER of the subject Name the certificate gets; the request's own subject is ignored. */
  subject: Buffer;
}

/** A key request whose proof of possession verified and whose certificate passed the profile checks. */
export interface CheckedKeyRequest {
  /** DER SubjectPublicKeyInfo of the requested key. */
  readonly subjectPublicKeyInfo: Buffer;
  readonly source: 'pkcs10' | 'crmf-initial';
  /** The planned certificate (internal to the issuer). */
  readonly checked: CheckedRequest;
}

/** What a caller stores with a certificate, in the same transaction: rows, changes and audit events after the issuance's. */
export type IssuanceAttachment = Pick<PendingIssuance, 'related' | 'within'> & { events?: PendingIssuance['events'] };

/** `failed`: not stored (the error says why: a unique violation of the caller's rows, the database, the HSM). */
export type StoredIssuance = { status: 'issued'; certificate: IssuedCertificate } | { status: 'failed'; error: unknown; problem: ProblemDocument };
