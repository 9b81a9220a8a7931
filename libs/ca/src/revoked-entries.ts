/**
 * The revoked certificates of a CA as the CRL encoder consumes them: pages of PAGE_SIZE rows in serial order
 * (keyset pagination on the (authority, serial) index), so memory holds one page, not the whole list.
 */
import type { CrlReason, RevokedCertificate } from '@smpki/crypto';
import type { EntityManager } from 'typeorm';
import { CaCertificate } from './entities';

export const REVOKED_PAGE_SIZE = 10_000;

/** `since`: only certificates revoked at or after it (a delta CRL). */
export async function* revokedEntries(manager: EntityManager, authorityId: string, since?: Date): AsyncGenerator<RevokedCertificate[]> {
  let after = '';
  for (;;) {
    const query = manager
      .createQueryBuilder(CaCertificate, 'c')
      .select(['c.serial', 'c.revokedAt', 'c.revocationReason', 'c.invalidityDate'])
      .where('c.authorityId = :authority AND c.status = :status AND c.serial > :after', { authority: authorityId, status: 'revoked', after });
    if (since) query.andWhere('c.revokedAt >= :since', { since });
    const page = await query.orderBy('c.serial', 'ASC').limit(REVOKED_PAGE_SIZE).getMany();
    if (page.length === 0) return;
    yield page.map((row) => ({
      serialNumber: Buffer.from(row.serial, 'hex'),
      revocationDate: row.revokedAt!,
      ...(row.revocationReason ? { reason: row.revocationReason as CrlReason } : {}),
      ...(row.invalidityDate ? { invalidityDate: row.invalidityDate } : {}),
    }));
    if (page.length < REVOKED_PAGE_SIZE) return;
    after = page.at(-1)!.serial;
  }
}
