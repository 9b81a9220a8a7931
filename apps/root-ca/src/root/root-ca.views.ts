/** What the root CA's API answers: certificates and CRLs as PEM, times as ISO 8601. */
import type { CaCrl, CeremonyResult, IssuedCertificate, RolloverResult, SignedCeremonyTranscript } from '@smpki/ca';
import { toPem } from '@smpki/crypto';

export interface CeremonyView {
  name: string;
  /** PEM of the self-signed root certificate. */
  certificate: string;
  fingerprint: string;
  transcript: SignedCeremonyTranscript;
  /** PEM of the CRL-signer certificate, when the ceremony file asks for an indirect root CRL. */
  crlSigner?: string;
}

export interface SubCaView {
  root: string;
  serial: string;
  profile: string;
  subject: string;
  status: 'good' | 'revoked';
  notBefore: string;
  notAfter: string;
  fingerprint: string;
  /** PEM. */
  certificate: string;
  /** PEM: the root certificate. */
  chain: string[];
}

export interface RolloverView {
  name: string;
  /** PEM of the new self-signed root certificate. */
  certificate: string;
  fingerprint: string;
  /** PEM: the new root's name and key certified by the old root (for relying parties still on the old root). */
  newWithOld: string;
  /** PEM: the old root's name and key certified by the new root. */
  oldWithNew: string;
  transcript: SignedCeremonyTranscript;
  /** PEM of the new generation's CRL signer, when the old generation's CRL was indirect. */
  crlSigner?: string;
}

export interface RootCrlView {
  root: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  /** PEM (`X509 CRL`). */
  crl: string;
}

export function ceremonyView(name: string, result: CeremonyResult): CeremonyView {
  return {
    name,
    certificate: result.certificate.toPem(),
    fingerprint: result.certificate.fingerprint(),
    transcript: result.transcript,
    ...(result.crlSigner ? { crlSigner: result.crlSigner.toPem() } : {}),
  };
}

export function subCaView(issued: IssuedCertificate): SubCaView {
  return {
    root: issued.ca,
    serial: issued.serial,
    profile: issued.profile,
    subject: issued.subject,
    status: issued.status,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    fingerprint: issued.fingerprint,
    certificate: issued.pem,
    chain: issued.chain,
  };
}

export function rolloverView(name: string, result: RolloverResult): RolloverView {
  return {
    name,
    certificate: result.root.toPem(),
    fingerprint: result.root.fingerprint(),
    newWithOld: result.newWithOld.toPem(),
    oldWithNew: result.oldWithNew.toPem(),
    transcript: result.transcript,
    ...(result.crlSigner ? { crlSigner: result.crlSigner.toPem() } : {}),
  };
}

export function rootCrlView(root: string, crl: CaCrl): RootCrlView {
  return { root, crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate.toISOString(), nextUpdate: crl.nextUpdate.toISOString(), crl: toPem(crl.der, 'X509 CRL') };
}
