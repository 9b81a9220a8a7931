/**
 * The validity a profile gives a new certificate: its maximum from notBefore, ended at 23:59:59 UTC where the
 * profile says so, and cut back to the issuer's notAfter (shell model) — to the end of the previous day when the
 * issuer's notAfter is not itself at the end of a day.
 */
import type { CertificateProfile } from './certificate-profile';
import { addDuration, endOfUtcDay, isEndOfUtcDay } from './duration';

export function profileValidity(profile: CertificateProfile, notBefore: Date, issuerNotAfter?: Date): { notBefore: Date; notAfter: Date } {
  // X.509 times have whole seconds.
  const start = new Date(Math.floor(notBefore.getTime() / 1000) * 1000);
  const endOfDay = profile.validity.notAfterEndOfDay;
  let notAfter = addDuration(start, profile.validity.max);
  if (endOfDay) notAfter = endOfUtcDay(notAfter);
  if (profile.validity.withinIssuer && issuerNotAfter && notAfter > issuerNotAfter) {
    notAfter = endOfDay && !isEndOfUtcDay(issuerNotAfter) ? endOfUtcDay(addDuration(issuerNotAfter, { days: -1 })) : issuerNotAfter;
  }
  return { notBefore: start, notAfter };
}
