/**
 * Every command the platform's services declare (`@Command('...')` on a handler). Access rules may only name
 * commands listed here, so a typo in an operator's rules file ("ca.certificate.isue") is refused at start-up
 * instead of silently granting nothing; the auth module checks at start-up that every declared handler command
 * is listed too. A service that adds a command adds it here.
 */
export interface CommandDescription {
  readonly name: string;
  readonly description: string;
}

export type CommandCatalogue = readonly CommandDescription[];

export const COMMAND_CATALOGUE: CommandCatalogue = [
  { name: 'platform.info.read', description: 'Read the service name, version and configuration summary' },
  { name: 'auth.token.issue', description: 'Issue an access token to an operator or a service' },
  { name: 'audit.read', description: 'Read the audit trail and its verification report' },
  { name: 'ca.certificate.issue', description: 'Issue a certificate from a sub-CA' },
  { name: 'ca.certificate.revoke', description: 'Revoke a certificate issued by a sub-CA' },
  { name: 'ca.certificate.read', description: 'Read a certificate issued by a sub-CA and its status' },
  { name: 'ca.crl.publish', description: 'Sign and publish a certificate revocation list' },
  { name: 'ca.lint', description: 'Lint a certificate against the SM-PKI profile rules' },
  { name: 'ca.publication.read', description: 'Read the directory publication lag of a CA service (pending outbox rows, oldest age, last error)' },
  { name: 'rootca.ceremony.run', description: 'Run a root CA key ceremony (key generation, sub-CA certification, ARL)' },
  { name: 'rootca.rollover.run', description: 'Roll a root CA over to a new generation with link certificates' },
  { name: 'rootca.crl.publish', description: 'Sign a root CA CRL (ARL), direct or indirect' },
  { name: 'rootca.certificate.revoke', description: 'Revoke a certificate a root CA issued (a sub-CA)' },
  { name: 'skm.tenant.create', description: 'Create an SKM tenant (metering service provider) and its HSM master key' },
  { name: 'skm.tenant.read', description: 'Read the SKM tenants' },
  { name: 'skm.tenant.member.add', description: 'Bind a caller (token subject or certificate DN) to the SKM tenant it acts for' },
  { name: 'skm.master.rotate', description: "Rotate the caller's tenant master key, re-wrapping every meter key in the HSM" },
  { name: 'skm.transport-key.create', description: 'Create a transport key for a counterparty (generated in the HSM or from key components)' },
  { name: 'skm.transport-key.read', description: "Read the caller's tenant transport keys (names, check values)" },
  { name: 'skm.key.generate', description: 'Generate a meter key set (DLMS) or key (wM-Bus) in the HSM' },
  { name: 'skm.key.import', description: 'Import a meter key wrapped under a transport key, checked against its KCV' },
  { name: 'skm.key.export', description: 'Export a working key wrapped under a transport key (e.g. provider change)' },
  { name: 'skm.key.rotate', description: 'Create new pending versions of meter keys' },
  { name: 'skm.key.confirm', description: 'Activate a pending meter key once the meter has confirmed the key change' },
  { name: 'skm.key.destroy', description: 'Destroy meter keys (wrapped blob erased)' },
  { name: 'skm.key.read', description: 'Read meter key versions, states and check values (never key material)' },
  { name: 'skm.key.transfer', description: "Create pending DLMS key versions and their global_key_transfer parameter (wrapped under the meter's KEK)" },
  { name: 'skm.crypto.dlms', description: "Protect / unprotect DLMS suite 0 APDUs with a meter's keys inside the HSM (head-end systems)" },
  { name: 'skm.crypto.oms', description: "Decrypt and check wireless M-Bus / OMS telegrams with a meter's key inside the HSM (head-end systems)" },
  { name: 'skm.provider-change.run', description: "Hand meters' keys over to another tenant, re-wrapped inside the HSM" },
  { name: 'registry.manufacturer.create', description: 'Onboard a device manufacturer (name, GLN, FLAG id)' },
  { name: 'registry.manufacturer.read', description: 'Read the manufacturer accounts' },
  { name: 'registry.manufacturer.credential.issue', description: "Issue a manufacturer's mutual-TLS client certificate and bind it to the account" },
  { name: 'registry.meter.register', description: 'Register meters at calibration and certify their keys (single or batch)' },
  { name: 'registry.meter.read', description: 'Read registered meters and their current certificates' },
  { name: 'registry.meter.replace', description: 'Re-enrol a meter with a new key, revoking its old certificate' },
  { name: 'registry.meter.retire', description: "Retire a meter, revoking its certificate" },
  { name: 'directory.entry.publish', description: 'Publish certificates and CRLs into the directory (idempotent upsert)' },
];

export function catalogueHas(catalogue: CommandCatalogue, command: string): boolean {
  return catalogue.some((entry) => entry.name === command);
}
