/**
 * Which extensions a certificate carries and how they are marked: duplicates (RFC 5280 4.2), undecodable values,
 * the profile's required / forbidden lists, unknown extensions (a warning: the profile does not say), and SM-PKI's
 * criticality rule: keyUsage, basicConstraints and extendedKeyUsage are the critical ones, all others are not.
 */
import type { CertificateProfile } from '../certificate-profile';
import { error, warning, type Finding } from '../finding';
import type { ExtensionName } from '../vocabulary';
import type { CertificateCheck } from './certificate-check';

/** Extensions whose criticality their own rules check; every other extension must be non-critical. */
const MAY_BE_CRITICAL: readonly ExtensionName[] = ['keyUsage', 'basicConstraints', 'extKeyUsage'];

export const checkExtensionList: CertificateCheck = (facts, { profile }) => {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const extension of facts.extensions) {
    const label = extension.name ?? extension.oid;
    if (seen.has(extension.oid)) findings.push(error('ext.duplicate', `extension ${label} occurs more than once`));
    seen.add(extension.oid);
    if (extension.name && profile.extensions.forbidden.includes(extension.name)) {
      findings.push(error('ext.forbidden', `extension ${label} is forbidden by profile ${profile.name}`));
    } else if (!extension.name || !knownTo(profile).has(extension.name)) {
      findings.push(warning('ext.unknown', `extension ${label} is not part of profile ${profile.name}`));
    }
  }
  for (const name of profile.extensions.required) {
    if (!facts.extensions.some((extension) => extension.name === name)) findings.push(error('ext.required', `extension ${name} is missing`));
  }
  for (const { name, reason } of facts.malformedExtensions) findings.push(error('ext.malformed', `extension ${name} does not decode: ${reason}`));
  return findings;
};

export const checkCriticality: CertificateCheck = (facts) =>
  facts.extensions
    .filter((extension) => extension.critical && !(extension.name && MAY_BE_CRITICAL.includes(extension.name)))
    .map((extension) => error('ext.criticality.noncritical', `extension ${extension.name ?? extension.oid} is marked critical; only ${MAY_BE_CRITICAL.join(', ')} may be`));

/** Extensions with a section of their own in every profile: their rules report them, present or absent. */
const SECTIONED: readonly ExtensionName[] = ['keyUsage', 'basicConstraints', 'extKeyUsage', 'subjectAltName', 'certificatePolicies'];

const KNOWN = new WeakMap<CertificateProfile, Set<ExtensionName>>();

function knownTo(profile: CertificateProfile): Set<ExtensionName> {
  let known = KNOWN.get(profile);
  if (!known) {
    known = new Set<ExtensionName>([...SECTIONED, ...profile.extensions.required, ...profile.extensions.optional]);
    KNOWN.set(profile, known);
  }
  return known;
}
