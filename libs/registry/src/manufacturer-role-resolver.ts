import type { ClientCertificateRoleResolver, VerifiedClientCertificate } from '@smpki/auth';
import type { DataSource } from 'typeorm';
import { manufacturerOfCredential } from './manufacturer-credentials';

const MANUFACTURER_ROLES: readonly string[] = ['manufacturer'];

/**
 * Grants `manufacturer` to a mutual-TLS client whose certificate is a registered, unrevoked, unexpired
 * manufacturer credential. Read from the database at each login, so a credential issued a moment ago works at once
 * and a revoked one stops at the next connection.
 */
export class ManufacturerRoleResolver implements ClientCertificateRoleResolver {
  constructor(private readonly dataSource: DataSource) {}

  async resolveRoles(certificate: VerifiedClientCertificate): Promise<readonly string[]> {
    return (await manufacturerOfCredential(this.dataSource, certificate.fingerprint256)) ? MANUFACTURER_ROLES : [];
  }
}
