/**
 * What a CA signs for one request: the requested subject and key, everything else from the profile and the CA.
 * Only the subjectAltName is taken over from the request (the profile checks then decide whether it is allowed);
 * key usage, EKU, basic constraints, validity and policy come from the profile, never from the requester.
 */
import {
  basicConstraints,
  CertificateExtensionOids,
  extendedKeyUsage,
  keyUsage,
  randomSerialNumber,
  signatureAlgorithmForCurve,
  subjectKeyIdentifier,
  type CertificateExtension,
  type CertificateTemplate,
  type KeyUsage,
} from '@smpki/crypto';
import { profileValidity, type CertificateProfile, type IssuanceCandidate } from '@smpki/policy';
import type { CertificateAuthority } from './certificate-authority';

/** The parts of a request a CA takes over. */
export interface RequestedCertificate {
  /** DER of the requested subject Name, copied unchanged. */
  subject: Buffer;
  /** DER SubjectPublicKeyInfo, already checked by the request parser. */
  subjectPublicKeyInfo: Buffer;
  /** The requested subjectAltName extension value (DER), if any. */
  subjectAltName?: Buffer;
}

/** The template for the signer and the candidate for checkIssuanceRequest, describing the same certificate. */
export interface PlannedCertificate {
  template: CertificateTemplate;
  candidate: IssuanceCandidate;
}

export function planCertificate(ca: CertificateAuthority, profile: CertificateProfile, requested: RequestedCertificate, now: Date): PlannedCertificate {
  const serialNumber = randomSerialNumber();
  const validity = profileValidity(profile, now, ca.certificate.notAfter);
  const extensions = profileExtensions(ca, profile, requested);
  return {
    template: { serialNumber, issuer: ca.certificate.subject.der, subject: requested.subject, validity, subjectPublicKeyInfo: requested.subjectPublicKeyInfo, extensions },
    candidate: {
      subject: requested.subject,
      issuer: ca.certificate.subject.der,
      subjectPublicKeyInfo: requested.subjectPublicKeyInfo,
      validity,
      serialNumber,
      extensions,
      signatureHash: signatureAlgorithmForCurve(ca.signer.curve).hash,
    },
  };
}

function profileExtensions(ca: CertificateAuthority, profile: CertificateProfile, requested: RequestedCertificate): CertificateExtension[] {
  const issuer = ca.issuerExtensions;
  const extensions: CertificateExtension[] = [
    issuer.authorityKeyIdentifier,
    subjectKeyIdentifier({ spki: requested.subjectPublicKeyInfo }),
    keyUsage(profile.keyUsage.required as KeyUsage[], { critical: profile.keyUsage.critical }),
  ];
  if (profile.extendedKeyUsage.presence === 'required') {
    extensions.push(extendedKeyUsage(profile.extendedKeyUsage.required, { critical: profile.extendedKeyUsage.critical }));
  }
  if (requested.subjectAltName) {
    extensions.push({ oid: CertificateExtensionOids.subjectAltName, critical: false, value: requested.subjectAltName });
  }
  if (profile.basicConstraints.presence !== 'forbidden') {
    const { cA, pathLen, critical } = profile.basicConstraints;
    extensions.push(basicConstraints({ ca: cA, ...(typeof pathLen === 'number' ? { pathLength: pathLen } : {}) }, { critical }));
  }
  extensions.push(issuer.crlDistributionPoints);
  if (issuer.authorityInfoAccess) extensions.push(issuer.authorityInfoAccess);
  if (profile.certificatePolicies.presence !== 'forbidden') extensions.push(issuer.certificatePolicies);
  return extensions;
}
