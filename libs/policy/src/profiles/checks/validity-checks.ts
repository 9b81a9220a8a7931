/**
 * Validity: order, the profile maximum (calendar arithmetic; with end-of-day notAfter the limit extends to
 * 23:59:59 of its last day, as SM-PKI certificates run "2 years" from 10:37:08 to 23:59:59), within the issuer's
 * validity (shell model), notAfter at 23:59:59 UTC.
 */
import { addDuration, endOfUtcDay, formatDuration, isEndOfUtcDay } from '../duration';
import { error, type Finding } from '../finding';
import type { CertificateCheck } from './certificate-check';

export const checkValidity: CertificateCheck = (facts, { profile, issuer }) => {
  const rules = profile.validity;
  const { notBefore, notAfter } = facts;
  if (notBefore >= notAfter) return [error('validity.order', `notBefore ${iso(notBefore)} is not before notAfter ${iso(notAfter)}`)];
  const findings: Finding[] = [];
  const longest = addDuration(notBefore, rules.max);
  const limit = rules.notAfterEndOfDay ? endOfUtcDay(longest) : longest;
  if (notAfter > limit) {
    findings.push(error('validity.max', `valid until ${iso(notAfter)}, longer than ${formatDuration(rules.max)} from ${iso(notBefore)} (at most ${iso(limit)})`));
  }
  if (rules.notAfterEndOfDay && !isEndOfUtcDay(notAfter)) {
    findings.push(error('validity.not-after-end-of-day', `notAfter ${iso(notAfter)} is not 23:59:59 UTC`));
  }
  if (rules.withinIssuer && issuer && issuer !== facts) {
    if (notAfter > issuer.notAfter) findings.push(error('validity.within-issuer', `notAfter ${iso(notAfter)} is after the issuer's notAfter ${iso(issuer.notAfter)}`));
    if (notBefore < issuer.notBefore) findings.push(error('validity.within-issuer', `notBefore ${iso(notBefore)} is before the issuer's notBefore ${iso(issuer.notBefore)}`));
  }
  return findings;
};

function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
