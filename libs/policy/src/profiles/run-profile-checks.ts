/** Runs every check of a profile over facts; shared by the linter and the pre-issuance check. */
import type { CertificateFacts } from './certificate-facts';
import type { CertificateProfile, ProfileSet } from './certificate-profile';
import { PROFILE_CHECKS, type CheckContext } from './checks';
import { error, type Finding } from './finding';

export interface ProfileCheckResult {
  /** The profile applied; undefined when none could be determined. */
  profile?: string;
  findings: Finding[];
  /** No finding of severity error. */
  ok: boolean;
}

export function runProfileChecks(facts: CertificateFacts, profile: CertificateProfile, context: Omit<CheckContext, 'profile'>): ProfileCheckResult {
  const issuer = context.issuer ?? (profile.selfSigned ? facts : undefined);
  const findings = PROFILE_CHECKS.flatMap((check) => check(facts, { ...context, profile, issuer }));
  return result(profile.name, findings);
}

export function resolveProfile(profile: string | CertificateProfile, profiles: ProfileSet): CertificateProfile | undefined {
  return typeof profile === 'string' ? profiles[profile] : profile;
}

export function unknownProfile(name: string, profiles: ProfileSet): ProfileCheckResult {
  return result(undefined, [error('profile.unknown', `no profile named "${name}" (known: ${Object.keys(profiles).join(', ')})`)]);
}

export function result(profile: string | undefined, findings: Finding[]): ProfileCheckResult {
  return { profile, findings, ok: findings.every((finding) => finding.severity !== 'error') };
}
