/**
 * The root's indirect CRL (SM-PKI): signed by the CRL signer, not the root; issuingDistributionPoint indirectCRL;
 * every entry carries certificateIssuer = the root (written once, where the issuer changes). Stored as a CRL of
 * the root authority, in the root's CRL number sequence. Relying parties need `-extended_crl` in OpenSSL.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { encodeCrl, type RevokedCertificate } from '@smpki/crypto';
import type { Signer } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import type { CertificateAuthority } from '../certificate-authority';
import { CaCrl } from '../entities';
import { revokedEntries } from '../revoked-entries';
import type { ParsedCertificate } from '@smpki/crypto';

const HOUR_MS = 3_600_000;

/** The root's revoked certificates, each naming the root as its issuer. */
async function* issuedByRoot(pages: AsyncGenerator<RevokedCertificate[]>, root: Buffer): AsyncGenerator<RevokedCertificate[]> {
  for await (const page of pages) yield page.map((entry) => ({ ...entry, certificateIssuer: root }));
}

export async function publishIndirectCrl(
  dataSource: DataSource,
  audit: AuditTrail,
  root: CertificateAuthority,
  crlSigner: { certificate: ParsedCertificate; signer: Signer },
  requester: string,
): Promise<CaCrl> {
  return runInTransaction(dataSource, async (manager) => {
    const last = await manager.getRepository(CaCrl).findOne({ where: { authorityId: root.id }, order: { crlNumber: 'DESC' } });
    const crlNumber = (last?.crlNumber ?? 0) + 1;
    const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + root.config.crlValidityHours * HOUR_MS);
    const { der, entryCount } = await encodeCrl(
      {
        issuer: crlSigner.certificate.subject.der,
        thisUpdate,
        nextUpdate,
        crlNumber,
        ...(crlSigner.certificate.subjectKeyIdentifier() ? { authorityKeyIdentifier: crlSigner.certificate.subjectKeyIdentifier()! } : {}),
        issuingDistributionPoint: { indirectCrl: true },
      },
      issuedByRoot(revokedEntries(manager, root.id), root.certificate.subject.der),
      crlSigner.signer,
    );
    const crl = Object.assign(new CaCrl(), { id: randomUUID(), authorityId: root.id, crlNumber, delta: false, baseCrlNumber: null, thisUpdate, nextUpdate, der });
    await manager.insert(CaCrl, crl);
    await audit.append(
      {
        action: 'ca.crl.publish',
        outcome: 'success',
        actor: requester,
        target: `${root.name}/crl/${crlNumber}`,
        details: { ca: root.name, crlNumber, indirect: true, signer: crlSigner.certificate.fingerprint(), entries: entryCount, thisUpdate: thisUpdate.toISOString(), nextUpdate: nextUpdate.toISOString() },
      },
      manager,
    );
    return crl;
  });
}
