import type { IssuedCertificate } from '@smpki/ca';

/** The JSON answer for a certificate. */
export interface CertificateView {
  ca: string;
  serial: string;
  profile: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  fingerprint: string;
  status: 'good' | 'revoked';
  /** PEM. */
  certificate: string;
  /** PEM, the issuing CA first. */
  chain: string[];
}

export function certificateView(issued: IssuedCertificate): CertificateView {
  return {
    ca: issued.ca,
    serial: issued.serial,
    profile: issued.profile,
    subject: issued.subject,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    fingerprint: issued.fingerprint,
    status: issued.status,
    certificate: issued.pem,
    chain: issued.chain,
  };
}
