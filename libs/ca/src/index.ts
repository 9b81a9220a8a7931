/** @smpki/ca: the CA instances of a sub-CA service: issuance, revocation and CRLs. */
// Entities first, and from modules that import only typeorm (see libs/persistence/src/platform-entities.ts).
export * from './entities';
export { CA_CONFIG_VARIABLE, loadCaConfig, parseCaConfig, type CaInstanceConfig } from './ca-config';
export { CA_PROBLEM_TYPES } from './ca-problems';
export { CertificateAuthority, type IssuerExtensions } from './certificate-authority';
export { CaRegistry } from './ca-registry';
export { planCertificate, type PlannedCertificate, type RequestedCertificate } from './certificate-template-builder';
export type { IssuedCertificate } from './issued-certificate';
export { CertificateIssuer, issuedView } from './certificate-issuer';
export type { CheckedKeyRequest, IssuanceAttachment, KeyRequestItem, StoredIssuance } from './subject-issuance';
export type { PendingIssuance, RelatedRows } from './issuance-batcher';
export { isUniqueViolation } from './unique-violation';
export { forItem, MAX_BATCH_ITEMS, batchTooLarge, type BatchItem, type BatchItemResult } from './batch-issuance';
export { CertificateRevoker, type RevocationRequest } from './certificate-revoker';
export { CertificateLookup } from './certificate-lookup';
export { CrlPublisher } from './crl-publisher';
export { CrlReissueScheduler, DEFAULT_CRL_CHECK_INTERVAL_MS, type CrlReissueSchedulerOptions } from './crl-reissue-scheduler';
export { renewalSignerStatus } from './renewal-signer-status';
export { revokedEntries, REVOKED_PAGE_SIZE } from './revoked-entries';
export { normalizeSerial } from './serial-input';
export { requestFromText, type TextProblem } from './request-text';
export * from './root';
export { enqueuePublication, markRevoked, publicationRow, type PublicationRef, type RevocationChange } from './publication';
export * from './publication/index';
export { RevocationDto } from './http/revocation.dto';
