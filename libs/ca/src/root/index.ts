/** The offline root CA: key ceremony, sub-CA certification, root CRL and rollover (apps/root-ca, `smpki root-ca`). */
export { parseCeremonyFile, type CeremonyDefinition, type RootCurve } from './ceremony-file';
export { signCeremonyTranscript, verifyCeremonyTranscript, type CeremonyTranscript, type SignedCeremonyTranscript } from './ceremony-transcript';
export { runKeyCeremony, type CeremonyResult } from './key-ceremony';
export { findRootAuthority, openRootRegistry, rootInstanceConfig, ROOT_PROFILES } from './root-authority';
export { issueLinkCertificate, rootProfiles, selfSignRoot } from './root-certificates';
export { rootCaRefused } from './root-ca-problems';
export { nextGenerationName, rolloverRoot, type RolloverRequest, type RolloverResult } from './root-rollover';
export { RootCa } from './root-ca';
export { crlSignerAuthorityName, findCrlSigner } from './crl-signer';
export { publishIndirectCrl } from './indirect-crl-publisher';
