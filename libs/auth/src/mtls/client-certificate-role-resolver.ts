import type { VerifiedClientCertificate } from './client-certificate';

/**
 * Maps a verified client certificate to roles. An empty result means the certificate is not registered: the
 * request is refused. The role-attribute certificates of a later issue plug in here.
 */
export interface ClientCertificateRoleResolver {
  resolveRoles(certificate: VerifiedClientCertificate): Promise<readonly string[]> | readonly string[];
}
