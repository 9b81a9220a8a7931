/**
 * The pre-issuance check: what the CA is about to sign, against the profile it issues under, with the same rules
 * as the linter. Call it with the certificate as it will be (subject, key, extensions, validity, serial, hash),
 * or with the TBSCertificate built for signing; nothing is signed yet, so signature.valid is not checked.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { TBSCertificate } from '@peculiar/asn1-x509';
import { ecdsaSignatureAlgorithm } from '@smpki/crypto';
import type { CertificateFacts } from './certificate-facts';
import type { CertificateProfile, ProfileSet } from './certificate-profile';
import { decodeExtensions, decodeName, decodeSubjectPublicKeyInfo, extensionFact } from './fact-decoders';
import { error } from './finding';
import { readCertificateFacts, readTbsCertificateFacts } from './read-certificate-facts';
import { resolveProfile, result, runProfileChecks, unknownProfile, type ProfileCheckResult } from './run-profile-checks';
import { SM_PKI_PROFILES } from './sm-pki-profiles';
import type { HashName } from './vocabulary';

/**
 * The certificate as the CA will sign it, in the shape of @smpki/crypto's CertificateTemplate (names as DER,
 * extensions as `{ oid, critical, value }` with the DER of the value) so the CA passes what it builds.
 */
export interface IssuanceCandidate {
  /** DER of the subject Name. */
  subject: Uint8Array;
  /** DER of the issuer Name; default: the issuer certificate's subject (own subject for a self-signed profile). */
  issuer?: Uint8Array;
  /** DER SubjectPublicKeyInfo of the key to certify. */
  subjectPublicKeyInfo: Uint8Array;
  validity: { notBefore: Date; notAfter: Date };
  /** Content octets of the serial number INTEGER, when already drawn. */
  serialNumber?: Uint8Array;
  /** The extensions the certificate will carry, criticality included. */
  extensions: ReadonlyArray<{ oid: string; critical: boolean; value: Uint8Array }>;
  /** The hash the issuer will sign with. */
  signatureHash?: HashName;
}

export interface IssuanceCheckOptions {
  /** The profile the CA issues under (name in `profiles`, or the profile itself). */
  profile: string | CertificateProfile;
  /** The issuing CA's certificate (DER) or its facts; omit only for a self-signed certificate. */
  issuer?: Uint8Array | CertificateFacts;
  profiles?: ProfileSet;
}

export function checkIssuanceRequest(candidate: IssuanceCandidate | { tbsCertificate: TBSCertificate | Uint8Array }, options: IssuanceCheckOptions): ProfileCheckResult {
  const profiles = options.profiles ?? SM_PKI_PROFILES;
  const profile = resolveProfile(options.profile, profiles);
  if (!profile) return unknownProfile(String(options.profile), profiles);
  let issuer: CertificateFacts | undefined;
  let facts: CertificateFacts;
  try {
    issuer = options.issuer instanceof Uint8Array ? readCertificateFacts(options.issuer) : options.issuer;
    facts = 'tbsCertificate' in candidate ? tbsFacts(candidate.tbsCertificate) : candidateFacts(candidate, issuer, profile);
  } catch (cause) {
    return result(profile.name, [error('certificate.malformed', `the candidate or issuer cannot be read: ${(cause as Error).message}`)]);
  }
  return runProfileChecks(facts, profile, { issuer, mode: 'candidate' });
}

function tbsFacts(tbs: TBSCertificate | Uint8Array): CertificateFacts {
  return readTbsCertificateFacts(tbs instanceof Uint8Array ? tbs : new Uint8Array(AsnConvert.serialize(tbs)));
}

function candidateFacts(candidate: IssuanceCandidate, issuer: CertificateFacts | undefined, profile: CertificateProfile): CertificateFacts {
  const subject = decodeName(candidate.subject);
  const extensions = candidate.extensions.map((extension) => extensionFact(extension.oid, extension.critical, extension.value));
  const { decoded, malformed } = decodeExtensions(extensions);
  return {
    version: 3,
    serialNumber: candidate.serialNumber && Buffer.from(candidate.serialNumber),
    signatureAlgorithmOid: candidate.signatureHash && ecdsaSignatureAlgorithm(candidate.signatureHash).oid,
    signatureHash: candidate.signatureHash,
    issuer: candidate.issuer ? decodeName(candidate.issuer) : (issuer?.subject ?? (profile.selfSigned ? subject : undefined)),
    subject,
    notBefore: candidate.validity.notBefore,
    notAfter: candidate.validity.notAfter,
    publicKey: decodeSubjectPublicKeyInfo(candidate.subjectPublicKeyInfo),
    extensions,
    decoded,
    malformedExtensions: malformed,
  };
}
