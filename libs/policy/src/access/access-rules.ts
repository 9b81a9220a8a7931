import type { Role } from './roles';

/**
 * Access rules as data: for each role, the command patterns (see command-name.ts) it may run. A role that is
 * absent, or a command no pattern of any of the principal's roles covers, is refused: deny by default.
 */
export type AccessRules = Readonly<Partial<Record<Role, readonly string[]>>>;

/**
 * The shipped policy. Operators replace it with a JSON file of the same shape (`{ "roles": { ... } }`,
 * see load-access-rules.ts) without changing code.
 *
 * Separation of duties: the administrator runs the platform but issues no certificate, the CA operator issues
 * but cannot read the audit trail it is judged by, the auditor only reads. Roles of outside parties
 * (manufacturer, MSP, gateway administrator, directory reader) get their commands with the issues that add them;
 * manufacturers register their meters (docs/METER-REGISTRATION.md).
 */
export const DEFAULT_ACCESS_RULES: AccessRules = {
  // Onboarding manufacturers includes their mutual-TLS credential (registry.manufacturer.credential.issue): the
  // only certificates the administrator gets issued, under the fixed credential profile, never meter certificates.
  // SKM tenants and who acts for them, but no key of any tenant (skm.key.* belongs to the tenants' own staff).
  administrator: ['auth.*', 'platform.*', 'registry.manufacturer.*', 'skm.tenant.*'],
  'ca-operator': ['ca.*', 'rootca.*', 'registry.meter.read', 'registry.manufacturer.read', 'platform.info.read'],
  auditor: ['audit.*', 'ca.lint', 'registry.meter.read', 'registry.manufacturer.read', 'platform.info.read'],
  // Its own meters only: the registry scopes every meter command to the manufacturer of the client certificate.
  manufacturer: ['registry.meter.*', 'platform.info.read'],
  // The keys of its own tenant only: the SKM scopes every key command to the tenant the caller is bound to.
  'msp-security-manager': ['skm.key.*', 'skm.transport-key.*', 'skm.master.rotate', 'skm.provider-change.run', 'platform.info.read'],
  // Operations (and the head-end systems acting for it): reads key states, records the meter's confirmation of a key
  // change, and uses the keys through the crypto service; no key leaves through it.
  'msp-operator': ['skm.key.read', 'skm.key.confirm', 'skm.crypto.*', 'platform.info.read'],
  'gateway-administrator': ['platform.info.read'],
  'directory-reader': ['platform.info.read'],
  // The CA services' publishers write into the directory and do nothing else.
  publisher: ['directory.entry.publish'],
};
