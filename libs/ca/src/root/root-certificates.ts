/**
 * The certificates only a root signs for itself: its self-signed certificate (profile `sm-root-ca`) and the link
 * certificates of a rollover (profile `sm-link`). Each is checked with the profile rules before it is signed, so
 * a root that breaks its profile is never signed.
 */
import {
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  issueCertificate,
  keyIdentifierFromSpki,
  keyUsage,
  nameDer,
  parseCertificate,
  randomSerialNumber,
  signatureAlgorithmForCurve,
  subjectKeyIdentifier,
  type CertificateExtension,
  type CertificateTemplate,
  type NameInput,
  type ParsedCertificate,
} from '@smpki/crypto';
import type { Signer } from '@smpki/hsm';
import { checkIssuanceRequest, profileValidity, smPkiProfiles, type CertificateProfile, type ProfileSet } from '@smpki/policy';
import { rootCaRefused } from './root-ca-problems';

/** The SM-PKI profiles with the root (and link) validity the ceremony chose; the root's validity is *unconfirmed*. */
export function rootProfiles(validityYears: number): ProfileSet {
  return smPkiProfiles({ root: { maxValidity: { years: validityYears } }, link: { maxValidity: { years: validityYears } } });
}

/** keyCertSign + cRLSign, CA with the profile's pathLen, the policies: what a root and a link certificate carry. */
function caExtensions(profile: CertificateProfile, subjectSpki: Buffer, issuerSpki: Buffer, policyOids: readonly string[]): CertificateExtension[] {
  const { pathLen } = profile.basicConstraints;
  return [
    subjectKeyIdentifier({ spki: subjectSpki }),
    authorityKeyIdentifier(keyIdentifierFromSpki(issuerSpki)),
    keyUsage(['keyCertSign', 'cRLSign'], { critical: true }),
    basicConstraints({ ca: true, ...(typeof pathLen === 'number' ? { pathLength: pathLen } : {}) }, { critical: true }),
    certificatePolicies(policyOids.map((policy) => ({ policy }))),
  ];
}

/** A template whose serial number is already drawn, so the profile check sees it. */
type DrawnTemplate = CertificateTemplate & { serialNumber: Buffer };

async function checkedIssue(template: DrawnTemplate, profileName: string, profiles: ProfileSet, signer: Signer, issuer?: ParsedCertificate): Promise<ParsedCertificate> {
  const result = checkIssuanceRequest(
    { ...template, subject: nameDer(template.subject), issuer: nameDer(template.issuer), serialNumber: template.serialNumber, signatureHash: signatureAlgorithmForCurve(signer.curve).hash },
    { profile: profileName, profiles, ...(issuer ? { issuer: issuer.der } : {}) },
  );
  const error = result.findings.find((finding) => finding.severity === 'error');
  if (error) throw rootCaRefused(422, error.rule, 'certificate', `the ${profileName} certificate would break ${error.rule}: ${error.message}`);
  return parseCertificate(await issueCertificate(template, signer));
}

/** The self-signed root certificate of `signer`'s key, after the `sm-root-ca` profile. */
export async function selfSignRoot(subject: NameInput, signer: Signer, policyOids: readonly string[], profiles: ProfileSet, now = new Date()): Promise<ParsedCertificate> {
  const profile = profiles['sm-root-ca']!;
  const spki = signer.publicKey.spki;
  const template: DrawnTemplate = {
    serialNumber: randomSerialNumber(),
    issuer: nameDer(subject),
    subject: nameDer(subject),
    validity: profileValidity(profile, now),
    subjectPublicKeyInfo: spki,
    extensions: caExtensions(profile, spki, spki, policyOids),
  };
  return checkedIssue(template, 'sm-root-ca', profiles, signer);
}

/**
 * A link certificate: `subject`'s name and key certified by `issuer` (a root of the other generation), valid no
 * longer than the issuer. New-with-old lets relying parties that trust the old root accept what the new root signs.
 */
export async function issueLinkCertificate(subject: ParsedCertificate, issuer: ParsedCertificate, issuerSigner: Signer, policyOids: readonly string[], profiles: ProfileSet, now = new Date()): Promise<ParsedCertificate> {
  const profile = profiles['sm-link']!;
  const template: DrawnTemplate = {
    serialNumber: randomSerialNumber(),
    issuer: issuer.subject.der,
    subject: subject.subject.der,
    validity: profileValidity(profile, now, issuer.notAfter),
    subjectPublicKeyInfo: subject.subjectPublicKeyInfo,
    extensions: caExtensions(profile, subject.subjectPublicKeyInfo, issuer.subjectPublicKeyInfo, policyOids),
  };
  return checkedIssue(template, 'sm-link', profiles, issuerSigner, issuer);
}
