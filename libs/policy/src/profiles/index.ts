/** Certificate profiles as data, their checks, the linter and the pre-issuance check (issue 3). */
export * from './vocabulary';
export { addDuration, endOfUtcDay, formatDuration, isEndOfUtcDay, type Duration } from './duration';
export type { CertificateProfile, NamingRules, Presence, ProfileSet } from './certificate-profile';
export { PROFILE_RULES, type Finding, type ProfileRule, type Severity } from './finding';
export type {
  CertificateFacts,
  DecodedExtensions,
  ExtensionFacts,
  GeneralNameFacts,
  NameAttribute,
  NameFacts,
  PublicKeyFacts,
} from './certificate-facts';
export { CertificateFactsError, readCertificateFacts, readTbsCertificateFacts } from './read-certificate-facts';
export { PROFILE_CHECKS, type CertificateCheck, type CheckContext } from './checks';
export {
  loadSmPkiProfileOptionsFile,
  parseSmPkiProfileOptions,
  ProfileOptionsError,
  type PathLenRule,
  type SmPkiProfileOptions,
} from './sm-pki-profile-options';
export { SM_PKI_PROFILE_NAMES, SM_PKI_PROFILES, smPkiProfiles, type SmPkiProfileName } from './sm-pki-profiles';
export { detectSmPkiProfile } from './detect-profile';
export { runProfileChecks, type ProfileCheckResult } from './run-profile-checks';
export { lintCertificate, type LintOptions, type LintResult } from './lint-certificate';
export { checkIssuanceRequest, type IssuanceCandidate, type IssuanceCheckOptions } from './check-issuance-request';
export { profileValidity } from './profile-validity';
