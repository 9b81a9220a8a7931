/**
 * The CA instances of one service, opened at start: each CA's HSM key is found and checked against its
 * certificate, and its ca_authority row is written (created, or updated to the current configuration).
 */
import { randomUUID } from 'node:crypto';
import type { KeyManager } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import { ConfigurationError } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import { CA_CONFIG_VARIABLE, type CaInstanceConfig } from './ca-config';
import { unknownCa } from './ca-problems';
import { CertificateAuthority } from './certificate-authority';
import { CaAuthority } from './entities';

export class CaRegistry {
  private readonly byName: ReadonlyMap<string, CertificateAuthority>;

  private constructor(authorities: readonly CertificateAuthority[]) {
    this.byName = new Map(authorities.map((authority) => [authority.name, authority]));
  }

  static async open(configs: readonly CaInstanceConfig[], keys: KeyManager, dataSource: DataSource): Promise<CaRegistry> {
    const authorities: CertificateAuthority[] = [];
    for (const config of configs) {
      const signer = await keys.createSigner(config.keyUri);
      if (!signer.publicKey.spki.equals(config.certificate.subjectPublicKeyInfo)) {
        throw new ConfigurationError(CA_CONFIG_VARIABLE, `CA "${config.name}": the key ${config.keyUri} is not the key of its certificate`);
      }
      const id = await saveAuthority(dataSource, config);
      authorities.push(new CertificateAuthority(id, config, signer));
    }
    return new CaRegistry(authorities);
  }

  /** The CA named in a request; 404 `ca.unknown` otherwise. */
  get(name: string): CertificateAuthority {
    const authority = this.byName.get(name);
    if (!authority) throw unknownCa(name);
    return authority;
  }

  list(): CertificateAuthority[] {
    return [...this.byName.values()];
  }

  /** The CA whose certificate this is (DER), if it is one of this service's. */
  byCertificate(der: Uint8Array): CertificateAuthority | undefined {
    return this.list().find((authority) => authority.certificate.der.equals(der));
  }

  /** The certificates of this service's CAs: the only issuers a renewal signer may come from. */
  certificates(): Buffer[] {
    return this.list().map((authority) => authority.certificate.der);
  }
}

async function saveAuthority(dataSource: DataSource, config: CaInstanceConfig): Promise<string> {
  return runInTransaction(dataSource, async (manager) => {
    const repository = manager.getRepository(CaAuthority);
    const existing = await repository.findOne({ where: { name: config.name } });
    const row = repository.create({
      id: existing?.id ?? randomUUID(),
      name: config.name,
      keyUri: config.keyUri,
      certificate: config.certificate.der,
      profiles: config.profiles.join(','),
      crlUrls: [config.crlDistributionPoints.ldap, config.crlDistributionPoints.http].filter(Boolean).join(' '),
      aiaUrl: config.aiaUrl ?? null,
      crlValidityHours: config.crlValidityHours,
      updatedAt: new Date(),
    });
    await repository.save(row);
    return row.id;
  });
}
