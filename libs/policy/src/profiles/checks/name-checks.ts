/**
 * Subject naming (SM-PKI, TR-03109-4): CN suffix `.CA` for CAs, a role segment (`.EMT`, `.GWA`, `.GWH`, `.SMGW`)
 * for end users, O and C from the PKI's values, OU the 13-digit market-participant number, serialNumber the
 * generation counter; for meters the meter identification in a configurable attribute.
 */
import { attributeValues } from '../certificate-facts';
import type { NamingRules, Presence } from '../certificate-profile';
import { error, type Finding, type ProfileRule } from '../finding';
import type { CertificateCheck } from './certificate-check';

const GLN = /^\d{13}$/;

export const checkCommonName: CertificateCheck = (facts, { profile }) => {
  const rules = profile.naming.commonName;
  const values = attributeValues(facts.subject, 'CN');
  const presence = presenceFinding('name.cn.present', 'CN', values.length, rules.presence);
  if (presence || values.length === 0) return presence ? [presence] : [];
  const findings: Finding[] = [];
  for (const cn of values) {
    if (rules.suffixes && !rules.suffixes.some((suffix) => cn.endsWith(suffix))) {
      findings.push(error('name.cn.suffix', `CN "${cn}" does not end in ${rules.suffixes.join(' or ')}`));
    }
    const segments = cn.split('.').slice(1);
    if (rules.roleSegments && !rules.roleSegments.some((role) => segments.includes(role))) {
      findings.push(error('name.cn.role', `CN "${cn}" has no role segment ${rules.roleSegments.map((role) => `.${role}`).join(', ')}`));
    }
  }
  return findings;
};

export const checkOrganizationAndCountry: CertificateCheck = (facts, { profile }) => [
  ...allowedValues('name.o', 'O', attributeValues(facts.subject, 'O'), profile.naming.organizations),
  ...allowedValues('name.c', 'C', attributeValues(facts.subject, 'C'), profile.naming.countries),
];

export const checkMarketParticipantNumber: CertificateCheck = (facts, { profile }) => {
  const rule = profile.naming.organizationalUnitGln;
  if (!rule) return [];
  const values = attributeValues(facts.subject, 'OU');
  const presence = presenceFinding('name.ou.gln', 'OU (market-participant number)', values.length, rule);
  if (presence) return [presence];
  if (rule === 'forbidden') return [];
  return values.filter((value) => !GLN.test(value)).map((value) => error('name.ou.gln', `OU "${value}" is not a 13-digit market-participant number`));
};

export const checkSerialNumberAttribute: CertificateCheck = (facts, { profile }) => {
  const rules = profile.naming.serialNumber;
  if (!rules) return [];
  const values = attributeValues(facts.subject, 'serialNumber');
  const presence = presenceFinding('name.serialNumber', 'serialNumber', values.length, rules.presence);
  if (presence) return [presence];
  const pattern = rules.pattern ? new RegExp(rules.pattern) : undefined;
  return pattern
    ? values.filter((value) => !pattern.test(value)).map((value) => error('name.serialNumber', `serialNumber "${value}" does not match ${rules.pattern}`))
    : [];
};

export const checkMeterId: CertificateCheck = (facts, { profile }) => {
  const rules: NamingRules['meterId'] = profile.naming.meterId;
  if (!rules) return [];
  const values = attributeValues(facts.subject, rules.attribute);
  if (values.length !== 1) {
    return [error('name.meter-id', `the subject must carry the meter identification in exactly one ${rules.attribute} attribute (found ${values.length})`)];
  }
  const [value] = values as [string];
  return new RegExp(rules.pattern).test(value) ? [] : [error('name.meter-id', `${rules.attribute} "${value}" is not a meter identification (${rules.pattern})`)];
};

/** `attribute` must occur once when required, never when forbidden, at most once when optional. */
function presenceFinding(rule: ProfileRule, attribute: string, count: number, presence: Presence): Finding | undefined {
  if (presence === 'required' && count === 0) return error(rule, `the subject has no ${attribute}, which the profile requires`);
  if (presence === 'forbidden' && count > 0) return error(rule, `the subject has ${attribute}, which the profile forbids`);
  if (count > 1) return error(rule, `the subject has ${count} ${attribute} attributes, expected one`);
  return undefined;
}

function allowedValues(rule: ProfileRule, attribute: string, values: readonly string[], allowed: readonly string[] | undefined): Finding[] {
  if (!allowed) return [];
  if (values.length === 0) return [error(rule, `the subject has no ${attribute} (allowed: ${allowed.join(', ')})`)];
  return values.filter((value) => !allowed.includes(value)).map((value) => error(rule, `${attribute} "${value}" is not one of ${allowed.join(', ')}`));
}
