/** subjectAltName: mandatory for GWA/GWH/EMT, forbidden for SMGW (TR-03109-4), with the name types per key pair. */
import { error, type Finding } from '../finding';
import type { CertificateCheck } from './certificate-check';
import { extensionOf } from './usage-checks';

export const checkSubjectAltName: CertificateCheck = (facts, { profile }) => {
  const rules = profile.subjectAltName;
  const present = extensionOf(facts, 'subjectAltName') !== undefined;
  if (rules.presence === 'required' && !present) return [error('ext.san.required', `subjectAltName is missing; profile ${profile.name} requires it`)];
  if (rules.presence === 'forbidden' && present) return [error('ext.san.forbidden', `subjectAltName is present; profile ${profile.name} forbids it`)];
  const names = facts.decoded.subjectAltName;
  if (!names) return [];
  const findings: Finding[] = [];
  const types = names.map((name) => name.type);
  const missing = rules.requiredTypes.filter((type) => !types.includes(type));
  if (missing.length > 0) findings.push(error('ext.san.types', `subjectAltName lacks ${missing.join(', ')}`));
  const allowed = rules.allowedTypes;
  const extra = allowed ? [...new Set(types.filter((type) => !allowed.includes(type)))] : [];
  if (extra.length > 0) findings.push(error('ext.san.types', `subjectAltName holds ${extra.join(', ')}, profile ${profile.name} allows ${allowed!.join(', ')}`));
  return findings;
};
