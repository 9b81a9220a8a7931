/**
 * The roles of the platform, named after the parties of the smart-metering domain (docs: shared spec domain.md §1).
 * A principal carries zero or more of them; the access rules say which commands each may run.
 */
export const ROLES = [
  /** Runs the platform itself: operator accounts, tokens, service settings. Not a CA operator (separation of duties). */
  'administrator',
  /** Operates the sub-CAs: issues and revokes certificates, publishes CRLs, runs the root key ceremony. */
  'ca-operator',
  /** Reads and verifies the audit trail; changes nothing. */
  'auditor',
  /** Device manufacturer: its devices' certificates, firmware signatures, provider-change deletions. */
  'manufacturer',
  /** Security management of a metering service provider: role certificates for its operators, key hand-over. */
  'msp-security-manager',
  /** Operational management (OM) of a metering service provider. */
  'msp-operator',
  /** Smart meter gateway administrator (GWA). */
  'gateway-administrator',
  /** Reads the certificate directory (certificates, CRLs) through the API. */
  'directory-reader',
  /** A CA service's publisher: pushes certificates and CRLs into the directory (docs/DIRECTORY.md). */
  'publisher',
] as const;

export type Role = (typeof ROLES)[number];

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLE_SET.has(value);
}
