/** Revocation: the certificate's row is marked revoked and the revocation audited in the same transaction. */
import type { AuditTrail } from '@smpki/audit';
import type { CrlReason } from '@smpki/crypto';
import { runInTransaction } from '@smpki/persistence';
import { ProblemException } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import { alreadyRevoked, unknownCertificate } from './ca-problems';
import type { CaRegistry } from './ca-registry';
import { issuedView } from './certificate-issuer';
import { CaCertificate } from './entities';
import type { IssuedCertificate } from './issued-certificate';
import { markRevoked } from './publication';
import { normalizeSerial } from './serial-input';

export interface RevocationRequest {
  reason: CrlReason;
  /** When the key is known or suspected to have been compromised (RFC 5280 5.3.2); not in the future. */
  invalidityDate?: Date;
}

function badRevocation(field: string, rule: string, message: string): ProblemException {
  return new ProblemException({ status: 400, type: 'revocation-invalid', title: 'Revocation refused', detail: message, errors: [{ field, rule, message }], recordRefusal: true });
}

export class CertificateRevoker {
  constructor(
    private readonly registry: CaRegistry,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    /**
     * Called after a revocation committed, with the CA's name, when its configuration says `crlOnRevocation`
     * (the service signs a new CRL there). Awaited: the answer to the revocation means the CRL is out.
     */
    private readonly afterRevocation?: (caName: string) => Promise<unknown>,
  ) {}

  async revoke(caName: string, serialInput: string, request: RevocationRequest, requester: string): Promise<IssuedCertificate> {
    const ca = this.registry.get(caName);
    const serial = normalizeSerial(serialInput);
    // removeFromCRL only exists in delta CRLs, to lift a certificateHold; it is not a reason to revoke.
    if (request.reason === 'removeFromCRL') throw badRevocation('reason', 'revocation.reason', 'removeFromCRL is not a revocation reason');
    const now = new Date();
    if (request.invalidityDate && request.invalidityDate > now) {
      throw badRevocation('invalidityDate', 'revocation.invalidity-date', 'the invalidity date must not be in the future');
    }
    const row = await runInTransaction(this.dataSource, async (manager) => {
      const certificate = await manager.findOne(CaCertificate, { where: { authorityId: ca.id, serial } });
      if (!certificate) throw unknownCertificate(ca.name, serial);
      if (certificate.status === 'revoked') throw alreadyRevoked(ca.name, serial);
      certificate.status = 'revoked';
      certificate.revokedAt = now;
      certificate.revocationReason = request.reason;
      certificate.invalidityDate = request.invalidityDate ?? null;
      // Under the row read above: a concurrent revocation of the same certificate makes this one a 409.
      const changed = await markRevoked(manager, { authorityId: ca.id, caName: ca.name, serial, reason: request.reason, invalidityDate: certificate.invalidityDate, at: now });
      if (!changed) throw alreadyRevoked(ca.name, serial);
      await this.audit.append(
        {
          action: 'ca.certificate.revoke',
          outcome: 'success',
          actor: requester,
          target: `${ca.name}/${serial}`,
          details: { ca: ca.name, serial, reason: request.reason, subject: certificate.subject, ...(request.invalidityDate ? { invalidityDate: request.invalidityDate.toISOString() } : {}) },
        },
        manager,
      );
      return certificate;
    });
    if (ca.config.crlOnRevocation && this.afterRevocation) await this.afterRevocation(ca.name);
    return issuedView(ca, row);
  }
}
