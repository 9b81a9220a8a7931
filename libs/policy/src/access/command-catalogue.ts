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
  { name: 'skm.key.export', description: 'Export a working key wrapped under a transport key (e.g. provider change)' },
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
