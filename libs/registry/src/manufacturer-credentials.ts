import { IsNull, MoreThan, type DataSource } from 'typeorm';
import { Manufacturer, ManufacturerCredential } from './entities';

/**
 * The active manufacturer whose credential is the client certificate with this SHA-256 fingerprint (lowercase
 * hex), if the credential is neither revoked nor expired at `now`.
 */
export async function manufacturerOfCredential(dataSource: DataSource, fingerprint256: string, now: Date = new Date()): Promise<Manufacturer | undefined> {
  const credential = await dataSource.getRepository(ManufacturerCredential).findOne({
    where: { fingerprint: fingerprint256, revokedAt: IsNull(), notAfter: MoreThan(now) },
  });
  if (!credential) return undefined;
  const manufacturer = await dataSource.getRepository(Manufacturer).findOne({ where: { id: credential.manufacturerId, status: 'active' } });
  return manufacturer ?? undefined;
}
