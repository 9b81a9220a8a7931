/** certificatePolicies: present where required, asserting the required policy OIDs (SM-PKI CAs: 0.4.0.127.0.7.3.4.1.1.1). */
import { error, type Finding } from '../finding';
import type { CertificateCheck } from './certificate-check';
import { extensionOf, presenceFinding } from './usage-checks';

export const checkCertificatePolicies: CertificateCheck = (facts, { profile }) => {
  const rules = profile.certificatePolicies;
  const present = extensionOf(facts, 'certificatePolicies') !== undefined;
  const presence = presenceFinding('ext.policies', 'certificatePolicies', present, rules.presence);
  if (presence) return [presence];
  const asserted = facts.decoded.certificatePolicies;
  if (!present || !asserted) return [];
  const missing = rules.required.filter((oid) => !asserted.includes(oid));
  return missing.length > 0 ? [error('ext.policies', `certificatePolicies does not assert ${missing.join(', ')}`)] : ([] as Finding[]);
};
