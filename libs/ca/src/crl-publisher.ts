/**
 * Full and delta CRLs per CA. The revoked entries are streamed from the database in pages (revoked-entries.ts)
 * into the streaming encoder, so a CA with a million revoked certificates signs its CRL in bounded memory.
 *
 * Full and delta CRLs share one CRL number sequence per CA (RFC 5280 5.2.3). The unique index on
 * (authority, number) refuses a second CRL with the same number from another replica; the loser signs again with
 * the next number, so numbers stay strictly increasing without a lock.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { encodeCrl } from '@smpki/crypto';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import type { CaRegistry } from './ca-registry';
import type { CertificateAuthority } from './certificate-authority';
import { CaCrl } from './entities';
import { enqueuePublication } from './publication';
import { revokedEntries } from './revoked-entries';
import { isUniqueViolation } from './unique-violation';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Attempts at a free CRL number before giving up (each conflict means another replica just signed one). */
const NUMBER_ATTEMPTS = 5;
/**
 * A delta lists what was revoked from this long before its base's thisUpdate: a revocation whose transaction
 * started before the base CRL was signed but committed after it is in neither the base nor, without this
 * overlap, the delta. Listing a certificate the base already lists is harmless.
 */
const DELTA_OVERLAP_MS = 5 * MINUTE_MS;

type CrlKind = { delta: false } | { delta: true; base: CaCrl };

export class CrlPublisher {
  constructor(
    private readonly registry: CaRegistry,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  /** Signs and stores a new full CRL of the CA now. */
  async issueCrl(caName: string, requester: string): Promise<CaCrl> {
    return this.publish(this.registry.get(caName), { delta: false }, requester);
  }

  /** Signs and stores a delta CRL now: what was revoked since the current full CRL (issued first if due). */
  async issueDeltaCrl(caName: string, requester: string): Promise<CaCrl> {
    const base = await this.currentCrl(caName);
    return this.publish(this.registry.get(caName), { delta: true, base }, requester);
  }

  /** The newest full CRL; a new one is issued when there is none yet or the newest is past its nextUpdate. */
  async currentCrl(caName: string): Promise<CaCrl> {
    const ca = this.registry.get(caName);
    const latest = await this.latest(ca, false);
    if (latest && latest.nextUpdate.getTime() > Date.now()) return latest;
    return this.publish(ca, { delta: false }, 'system', () => this.isDue(ca, 0));
  }

  /** The newest delta CRL on the current full CRL; a new one when there is none on it or it is past its nextUpdate. */
  async currentDeltaCrl(caName: string): Promise<CaCrl> {
    const ca = this.registry.get(caName);
    const base = await this.currentCrl(caName);
    const latest = await this.latest(ca, true);
    if (latest && latest.baseCrlNumber === base.crlNumber && latest.nextUpdate.getTime() > Date.now()) return latest;
    return this.publish(ca, { delta: true, base }, 'system');
  }

  /**
   * Signs a new full CRL when the newest is within the CA's reissue margin of its nextUpdate (or there is none).
   * Returns it, or undefined when nothing was due. Two replicas finding it due at once sign one CRL: the loser of
   * the number race checks again and finds it no longer due.
   */
  async reissueIfDue(caName: string): Promise<CaCrl | undefined> {
    const ca = this.registry.get(caName);
    const marginMs = ca.config.crlReissueMarginMinutes * MINUTE_MS;
    if (!(await this.isDue(ca, marginMs))) return undefined;
    return this.publish(ca, { delta: false }, 'system', () => this.isDue(ca, marginMs));
  }

  private async isDue(ca: CertificateAuthority, marginMs: number): Promise<boolean> {
    const latest = await this.latest(ca, false);
    return !latest || latest.nextUpdate.getTime() - marginMs <= Date.now();
  }

  private latest(ca: CertificateAuthority, delta: boolean): Promise<CaCrl | null> {
    return this.dataSource.getRepository(CaCrl).findOne({ where: { authorityId: ca.id, delta }, order: { crlNumber: 'DESC' } });
  }

  /** Signs with the next free number; on a number conflict retries, first asking `stillWanted` when given. */
  private async publish(ca: CertificateAuthority, kind: CrlKind, requester: string, stillWanted?: () => Promise<boolean>): Promise<CaCrl> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.signAndStore(ca, kind, requester);
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= NUMBER_ATTEMPTS) throw error;
        if (stillWanted && !(await stillWanted())) return (await this.latest(ca, kind.delta))!;
      }
    }
  }

  private signAndStore(ca: CertificateAuthority, kind: CrlKind, requester: string): Promise<CaCrl> {
    return runInTransaction(this.dataSource, async (manager) => {
      const last = await manager.getRepository(CaCrl).findOne({ where: { authorityId: ca.id }, order: { crlNumber: 'DESC' } });
      const crlNumber = (last?.crlNumber ?? 0) + 1;
      const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
      const hours = kind.delta ? ca.config.deltaCrlValidityHours : ca.config.crlValidityHours;
      const nextUpdate = new Date(thisUpdate.getTime() + hours * HOUR_MS);
      const since = kind.delta ? new Date(kind.base.thisUpdate.getTime() - DELTA_OVERLAP_MS) : undefined;
      const { der, entryCount } = await encodeCrl(
        {
          issuer: ca.certificate.subject.der,
          thisUpdate,
          nextUpdate,
          crlNumber,
          authorityKeyIdentifier: ca.keyIdentifier,
          ...(kind.delta ? { deltaCrlIndicator: kind.base.crlNumber } : {}),
        },
        revokedEntries(manager, ca.id, since),
        ca.signer,
      );
      const baseCrlNumber = kind.delta ? kind.base.crlNumber : null;
      const crl = Object.assign(new CaCrl(), { id: randomUUID(), authorityId: ca.id, crlNumber, delta: kind.delta, baseCrlNumber, thisUpdate, nextUpdate, der });
      await manager.insert(CaCrl, crl);
      await enqueuePublication(manager, ca.name, { kind: 'crl', crlNumber });
      await this.audit.append(
        {
          action: 'ca.crl.publish',
          outcome: 'success',
          actor: requester,
          target: `${ca.name}/crl/${crlNumber}`,
          details: {
            ca: ca.name,
            crlNumber,
            ...(kind.delta ? { deltaOf: baseCrlNumber } : {}),
            entries: entryCount,
            thisUpdate: thisUpdate.toISOString(),
            nextUpdate: nextUpdate.toISOString(),
          },
        },
        manager,
      );
      return crl;
    });
  }
}
