import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, CertificatePolicies, id_ce_certificatePolicies } from '@peculiar/asn1-x509';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ClientCertificateIdentity } from '../principal';
import { formatDn, rdnsOf, type Rdn } from './distinguished-name';

const ORGANIZATIONAL_UNIT = 'OU';

/** A client certificate the TLS layer verified against the configured client CA(s), with what role mappings read. */
export interface VerifiedClientCertificate extends ClientCertificateIdentity {
  readonly raw: Buffer;
  readonly subjectRdns: readonly Rdn[];
  readonly issuerRdns: readonly Rdn[];
  readonly organizationalUnits: readonly string[];
  /** Policy OIDs of the certificatePolicies extension. */
  readonly certificatePolicies: readonly string[];
}

export type ClientCertificateStatus =
  | { readonly kind: 'none' }
  /** Presented, but the TLS layer did not verify it (unknown CA, expired, ...). */
  | { readonly kind: 'untrusted'; readonly reason: string; readonly subject?: string; readonly fingerprint256?: string }
  | { readonly kind: 'trusted'; readonly certificate: VerifiedClientCertificate };

/**
 * What the TLS connection says about the client's certificate. Trust is the TLS layer's decision
 * (`requestCert` with the client CA as `ca`, `rejectUnauthorized: false` so the application can answer with a
 * problem): only `socket.authorized === true` counts.
 */
export function readClientCertificate(socket: Socket | undefined): ClientCertificateStatus {
  if (!(socket instanceof TLSSocket)) return { kind: 'none' };
  const peer = socket.getPeerX509Certificate();
  if (!peer) return { kind: 'none' };
  const fingerprint256 = peer.fingerprint256.replace(/:/g, '').toLowerCase();
  if (socket.authorized !== true) {
    const reason = String(socket.authorizationError ?? 'not verified');
    return { kind: 'untrusted', reason, subject: safeSubject(peer.raw), fingerprint256 };
  }
  return { kind: 'trusted', certificate: describe(peer.raw, peer.serialNumber, fingerprint256) };
}

function describe(raw: Buffer, serialNumber: string, fingerprint256: string): VerifiedClientCertificate {
  const certificate = AsnConvert.parse(raw, Certificate);
  const tbs = certificate.tbsCertificate;
  const subjectRdns = rdnsOf(tbs.subject);
  const issuerRdns = rdnsOf(tbs.issuer);
  return {
    raw,
    subject: formatDn(subjectRdns),
    issuer: formatDn(issuerRdns),
    serialNumber,
    fingerprint256,
    subjectRdns,
    issuerRdns,
    organizationalUnits: subjectRdns.flat().filter((attribute) => attribute.type === ORGANIZATIONAL_UNIT).map((attribute) => attribute.value),
    certificatePolicies: policiesOf(certificate),
  };
}

function policiesOf(certificate: Certificate): string[] {
  const extension = certificate.tbsCertificate.extensions?.find((candidate) => candidate.extnID === id_ce_certificatePolicies);
  if (!extension) return [];
  return AsnConvert.parse(extension.extnValue, CertificatePolicies).map((policy) => policy.policyIdentifier);
}

/** Subject of an unverified certificate, for the log only; a malformed one must not turn a 401 into a 500. */
function safeSubject(raw: Buffer): string | undefined {
  try {
    return formatDn(rdnsOf(AsnConvert.parse(raw, Certificate).tbsCertificate.subject));
  } catch {
    return undefined;
  }
}
