import { randomUUID } from 'node:crypto';
import type { ParsedCertificate } from '@smpki/crypto';
import { CaCertificate } from './entities';

/** The ca_certificate row of a certificate just issued by the authority `authorityId`: good, not revoked. */
export function newCertificateRow(authorityId: string, certificate: ParsedCertificate, profile: string, requester: string, issuedAt: Date): CaCertificate {
  return Object.assign(new CaCertificate(), {
    id: randomUUID(),
    authorityId,
    serial: certificate.serialNumberHex,
    subject: certificate.subject.toString(),
    profile,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    fingerprint: certificate.fingerprint(),
    der: certificate.der,
    status: 'good' as const,
    revokedAt: null,
    revocationReason: null,
    invalidityDate: null,
    requester,
    issuedAt,
  });
}
