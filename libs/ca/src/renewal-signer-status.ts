/**
 * The `signerStatus` hook of the renewal parser, answered from ca_certificate: the old signature certificate must
 * be one a CA of this service issued (found by its issuer's CA and serial) and the stored copy must be the same
 * certificate (same fingerprint), so a forged certificate with a reused serial is `unknown`, not `good`.
 */
import { createHash } from 'node:crypto';
import type { RenewalSigner, RenewalSignerStatus } from '@smpki/crypto';
import type { DataSource } from 'typeorm';
import type { CaRegistry } from './ca-registry';
import { CaCertificate } from './entities';

export async function renewalSignerStatus(registry: CaRegistry, dataSource: DataSource, signer: RenewalSigner): Promise<RenewalSignerStatus> {
  const authority = registry.byCertificate(signer.issuer.der);
  if (!authority) return 'unknown';
  const row = await dataSource
    .getRepository(CaCertificate)
    .findOne({ where: { authorityId: authority.id, serial: signer.serialNumber }, select: { id: true, status: true, fingerprint: true } });
  if (!row || row.fingerprint !== createHash('sha256').update(signer.der).digest('hex')) return 'unknown';
  return row.status;
}
