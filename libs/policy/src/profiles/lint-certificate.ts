/**
 * The linter: any certificate against an SM-PKI profile (named, or recognised from the certificate), optionally
 * with its issuer so that the signature, name and key-identifier chaining and the issuer's validity are checked.
 */
import type { CertificateFacts } from './certificate-facts';
import type { CertificateProfile, ProfileSet } from './certificate-profile';
import { detectSmPkiProfile } from './detect-profile';
import { error } from './finding';
import { CertificateFactsError, readCertificateFacts } from './read-certificate-facts';
import { resolveProfile, result, runProfileChecks, unknownProfile, type ProfileCheckResult } from './run-profile-checks';
import { SM_PKI_PROFILES } from './sm-pki-profiles';

export interface LintOptions {
  /** A profile name of `profiles`, or a profile object; default: recognised from the certificate. */
  profile?: string | CertificateProfile;
  /** The issuing CA's certificate (DER) or its facts (read once with readCertificateFacts when linting many). */
  issuer?: Uint8Array | string | CertificateFacts;
  /** Default: the SM-PKI profiles with default options. */
  profiles?: ProfileSet;
}

export type LintResult = ProfileCheckResult;

/** Lints a certificate (DER, PEM, or facts read before) against its profile. */
export function lintCertificate(certificate: Uint8Array | string | CertificateFacts, options: LintOptions = {}): LintResult {
  const profiles = options.profiles ?? SM_PKI_PROFILES;
  let facts: CertificateFacts;
  let issuer: CertificateFacts | undefined;
  try {
    facts = certificate instanceof Uint8Array || typeof certificate === 'string' ? readCertificateFacts(certificate) : certificate;
  } catch (cause) {
    return result(undefined, [error('certificate.malformed', describe(cause, 'the certificate'))]);
  }
  try {
    issuer = options.issuer instanceof Uint8Array || typeof options.issuer === 'string' ? readCertificateFacts(options.issuer) : options.issuer;
  } catch (cause) {
    return result(undefined, [error('certificate.malformed', describe(cause, 'the issuer certificate'))]);
  }
  const requested = options.profile ?? detectSmPkiProfile(facts, profiles);
  const profile = resolveProfile(requested, profiles);
  if (!profile) return unknownProfile(String(requested), profiles);
  return runProfileChecks(facts, profile, { issuer, mode: 'certificate' });
}

function describe(cause: unknown, what: string): string {
  const reason = cause instanceof CertificateFactsError ? cause.message : `cannot be read: ${(cause as Error).message}`;
  return `${what}: ${reason}`;
}
