/**
 * A sub-CA certified from an SM-PKI CRMF initial request: one CertReqMsg whose proof of possession the parser
 * verifies; its subject, key and subjectAltName are taken over exactly as from a PKCS#10 request, planned under
 * the same profile, checked with the same rules before signing, stored and audited in one transaction. A refusal
 * (malformed request, key on a wrong curve, failed proof of possession, profile violation) signs nothing.
 *
 * CertificateIssuer has no entry point for an already parsed request (its CRMF path picks end-entity profiles by
 * purpose), so this uses the same building blocks: planCertificate, checkIssuanceRequest, issueCertificate.
 */
import type { AuditTrail } from '@smpki/audit';
import { CertificateExtensionOids, issueCertificate, parseCertificate, parseInitialRequest } from '@smpki/crypto';
import { runInTransaction } from '@smpki/persistence';
import { checkIssuanceRequest, type ProfileSet } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { parseOrRefuse, profileViolated } from '../ca-problems';
import type { CertificateAuthority } from '../certificate-authority';
import { issuedView } from '../certificate-issuer';
import { newCertificateRow } from '../certificate-row';
import { planCertificate, type RequestedCertificate } from '../certificate-template-builder';
import { CaCertificate } from '../entities';
import type { IssuedCertificate } from '../issued-certificate';

/** The subject, key and subjectAltName of the one request a sub-CA sends; more than one is refused (crmf.malformed). */
export function requestedFromCrmf(request: Uint8Array | string): RequestedCertificate {
  const [entry] = parseOrRefuse(() => parseInitialRequest(request, { maxRequests: 1 })).requests;
  const san = entry!.extensions.find((extension) => extension.extnID === CertificateExtensionOids.subjectAltName);
  return {
    subject: entry!.subjectDer,
    subjectPublicKeyInfo: entry!.publicKey.spki,
    ...(san ? { subjectAltName: Buffer.from(san.extnValue.buffer) } : {}),
  };
}

export async function certifyFromCrmf(
  context: { dataSource: DataSource; audit: AuditTrail; profiles: ProfileSet },
  root: CertificateAuthority,
  profile: string,
  request: Uint8Array | string,
  requester: string,
): Promise<IssuedCertificate> {
  const requested = requestedFromCrmf(request);
  const plan = planCertificate(root, context.profiles[profile]!, requested, new Date());
  const errors = checkIssuanceRequest(plan.candidate, { profile, issuer: root.facts, profiles: context.profiles }).findings.filter((finding) => finding.severity === 'error');
  if (errors.length > 0) throw profileViolated(profile, errors);
  const certificate = parseCertificate(await issueCertificate(plan.template, root.signer));
  const row = newCertificateRow(root.id, certificate, profile, requester, new Date());
  await runInTransaction(context.dataSource, async (manager) => {
    await manager.insert(CaCertificate, row);
    await context.audit.append(
      {
        action: 'ca.certificate.issue',
        outcome: 'success',
        actor: requester,
        target: `${root.name}/${row.serial}`,
        details: { ca: root.name, serial: row.serial, profile, subject: row.subject, fingerprint: row.fingerprint, notAfter: row.notAfter.toISOString(), source: 'crmf-initial' },
      },
      manager,
    );
  });
  return issuedView(root, row);
}
