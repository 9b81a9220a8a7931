/** keyUsage, extendedKeyUsage and basicConstraints: value and criticality as the profile says. */
import { ExtendedKeyUsageOids } from '@smpki/crypto';
import type { CertificateFacts, ExtensionFacts } from '../certificate-facts';
import type { Presence } from '../certificate-profile';
import { error, type Finding } from '../finding';
import { nameOfOid, type ExtensionName } from '../vocabulary';
import type { CertificateCheck } from './certificate-check';

export const checkKeyUsage: CertificateCheck = (facts, { profile }) => {
  const rules = profile.keyUsage;
  const bits = facts.decoded.keyUsage;
  if (!bits) return isMalformed(facts, 'keyUsage') ? [] : [error('ext.keyUsage.value', `keyUsage is missing (required: ${rules.required.join(', ')})`)];
  const findings: Finding[] = [];
  const missing = rules.required.filter((bit) => !bits.includes(bit));
  const extra = bits.filter((bit) => !rules.required.includes(bit) && !rules.optional.includes(bit));
  if (missing.length > 0) findings.push(error('ext.keyUsage.value', `keyUsage lacks ${missing.join(', ')}`));
  if (extra.length > 0) findings.push(error('ext.keyUsage.value', `keyUsage sets ${extra.join(', ')}, which profile ${profile.name} does not allow`));
  const critical = extensionOf(facts, 'keyUsage')?.critical;
  if (critical !== rules.critical) findings.push(error('ext.keyUsage.critical', `keyUsage must be ${rules.critical ? 'critical' : 'non-critical'}`));
  return findings;
};

export const checkExtendedKeyUsage: CertificateCheck = (facts, { profile }) => {
  const rules = profile.extendedKeyUsage;
  const purposes = facts.decoded.extendedKeyUsage;
  const extension = extensionOf(facts, 'extKeyUsage');
  const presence = presenceFinding('ext.eku.value', 'extendedKeyUsage', extension !== undefined, rules.presence);
  if (presence) return [presence];
  if (!extension || !purposes) return [];
  const names = purposes.map((oid) => nameOfOid(ExtendedKeyUsageOids, oid) ?? oid);
  const findings: Finding[] = [];
  const missing = rules.required.filter((purpose) => !names.includes(purpose));
  const extra = names.filter((name) => !(rules.required as string[]).includes(name) && !(rules.optional as string[]).includes(name));
  if (missing.length > 0) findings.push(error('ext.eku.value', `extendedKeyUsage lacks ${missing.join(', ')}`));
  if (extra.length > 0) findings.push(error('ext.eku.value', `extendedKeyUsage lists ${extra.join(', ')}, which profile ${profile.name} does not allow`));
  if (extension.critical !== rules.critical) findings.push(error('ext.eku.critical', `extendedKeyUsage must be ${rules.critical ? 'critical' : 'non-critical'}`));
  return findings;
};

export const checkBasicConstraints: CertificateCheck = (facts, { profile }) => {
  const rules = profile.basicConstraints;
  const extension = extensionOf(facts, 'basicConstraints');
  const presence = presenceFinding('ext.basicConstraints', 'basicConstraints', extension !== undefined, rules.presence);
  if (presence) return [presence];
  const value = facts.decoded.basicConstraints;
  if (!extension || !value) return [];
  const findings: Finding[] = [];
  if (extension.critical !== rules.critical) findings.push(error('ext.basicConstraints', `basicConstraints must be ${rules.critical ? 'critical' : 'non-critical'}`));
  if (value.cA !== rules.cA) findings.push(error('ext.basicConstraints', `basicConstraints cA is ${value.cA}, profile ${profile.name} requires ${rules.cA}`));
  if (rules.pathLen === 'absent' && value.pathLen !== undefined) {
    findings.push(error('ext.basicConstraints', `basicConstraints sets pathLenConstraint ${value.pathLen}, which profile ${profile.name} forbids`));
  } else if (typeof rules.pathLen === 'number' && value.pathLen !== rules.pathLen) {
    findings.push(error('ext.basicConstraints', `basicConstraints pathLenConstraint is ${value.pathLen ?? 'absent'}, profile ${profile.name} requires ${rules.pathLen}`));
  }
  return findings;
};

export function extensionOf(facts: CertificateFacts, name: ExtensionName): ExtensionFacts | undefined {
  return facts.extensions.find((extension) => extension.name === name);
}

function isMalformed(facts: CertificateFacts, name: ExtensionName): boolean {
  return facts.malformedExtensions.some((extension) => extension.name === name);
}

export function presenceFinding(rule: Finding['rule'], name: string, present: boolean, presence: Presence): Finding | undefined {
  if (presence === 'required' && !present) return error(rule, `${name} is missing, profile requires it`);
  if (presence === 'forbidden' && present) return error(rule, `${name} is present, profile forbids it`);
  return undefined;
}
