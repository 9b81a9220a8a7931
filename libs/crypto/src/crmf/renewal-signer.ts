/**
 * The signer of a renewal request is the requester's old signature certificate: the CA may only renew on its
 * strength if it is a signature certificate, was issued by a CA we can verify (a trusted issuer when the caller
 * names them, else the chain included in the request), is valid now and is not revoked. Revocation lives in the
 * CA's database, so the caller answers it through `signerStatus`.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, Certificate, id_ce_authorityKeyIdentifier } from '@peculiar/asn1-x509';
import { ecdsaHashOf } from '../cms/ecdsa-algorithms';
import { subjectKeyIdentifierOf, type SignedDataCertificate } from '../cms/verify-signed-data';
import { verifyEcdsaSignature } from '../verify-signature';
import { CrmfInputError } from './crmf-input-error';
import { requestPurpose } from './request-purpose';

/** What the CA's database says about the old certificate. `unknown`: not issued by this CA (or not recorded). */
export type RenewalSignerStatus = 'good' | 'revoked' | 'unknown';

export interface RenewalSigner {
  der: Buffer;
  certificate: Certificate;
  /** Serial number as lower-case hex of its DER content octets (as stored by the CA). */
  serialNumber: string;
  issuer: {
    der: Buffer;
    certificate: Certificate;
    /** True when the issuer came from the caller's `trustedIssuers`, false when only from the request itself. */
    trusted: boolean;
  };
}

export interface RenewalSignerCheckOptions {
  /** Asked once the signature and the issuer's signature verified; `revoked`/`unknown` refuse the request. */
  signerStatus: (signer: RenewalSigner) => RenewalSignerStatus | Promise<RenewalSignerStatus>;
  /**
   * Certificates of the CAs whose certificates may sign renewals (normally the renewing CA's own). When given,
   * an issuer found only among the request's certificates is refused (`crmf.signer-untrusted`).
   */
  trustedIssuers?: readonly Uint8Array[];
  /** The time of the check (default: now). */
  now?: Date;
}

export async function checkRenewalSigner(
  signer: SignedDataCertificate,
  included: readonly SignedDataCertificate[],
  options: RenewalSignerCheckOptions,
): Promise<RenewalSigner> {
  requireSignatureCertificate(signer.certificate);
  const issuer = findIssuer(signer.certificate, included, options.trustedIssuers);
  requireValidAt(signer.certificate, options.now ?? new Date());
  const result: RenewalSigner = {
    der: signer.der,
    certificate: signer.certificate,
    serialNumber: Buffer.from(signer.certificate.tbsCertificate.serialNumber).toString('hex'),
    issuer,
  };
  const status = await options.signerStatus(result);
  if (status === 'revoked') throw new CrmfInputError('crmf.signer-revoked', `the renewal signer certificate ${result.serialNumber} is revoked`);
  if (status !== 'good') throw new CrmfInputError('crmf.signer-unknown', `the renewal signer certificate ${result.serialNumber} is not known to this CA`);
  return result;
}

function requireSignatureCertificate(certificate: Certificate): void {
  let purpose: ReturnType<typeof requestPurpose>;
  try {
    purpose = requestPurpose(certificate.tbsCertificate.extensions ?? []);
  } catch (error) {
    throw new CrmfInputError('crmf.signer-key-usage', 'the renewal signer certificate has a malformed keyUsage or extendedKeyUsage', { cause: error });
  }
  if (purpose !== 'sig') {
    throw new CrmfInputError('crmf.signer-key-usage', `the renewal must be signed with the old signature (SIG) certificate, not a ${purpose ?? 'non-signature'} certificate`);
  }
}

function findIssuer(certificate: Certificate, included: readonly SignedDataCertificate[], trusted: readonly Uint8Array[] | undefined): RenewalSigner['issuer'] {
  const trustedCertificates = (trusted ?? []).map((der, index) => parseTrusted(der, index));
  const candidates = [
    ...trustedCertificates.map((candidate) => ({ ...candidate, trusted: true })),
    ...(trusted ? [] : included.map((candidate) => ({ ...candidate, trusted: false }))),
  ].filter((candidate) => issuedBy(certificate, candidate.certificate));
  if (candidates.length === 0) {
    const untrusted = trusted && included.some((candidate) => issuedBy(certificate, candidate.certificate));
    if (untrusted) throw new CrmfInputError('crmf.signer-untrusted', 'the renewal signer certificate was issued by a CA this service does not trust');
    throw new CrmfInputError('crmf.signer-issuer-not-found', `the issuer of the renewal signer certificate (${describeIssuer(certificate)}) is neither included nor trusted`);
  }
  const verified = candidates.find((candidate) => signatureVerifies(certificate, candidate.certificate));
  if (!verified) throw new CrmfInputError('crmf.signer-certificate-invalid', 'the signature of the renewal signer certificate does not verify with its issuer key');
  return verified;
}

function parseTrusted(der: Uint8Array, index: number): SignedDataCertificate {
  try {
    return { der: Buffer.from(der), certificate: AsnConvert.parse(der, Certificate) };
  } catch (error) {
    // A configuration error of the caller, not bad input: a plain Error.
    throw new Error(`trusted issuer certificate #${index + 1} is not a certificate: ${(error as Error).message}`, { cause: error });
  }
}

/** Name chaining, and the key identifier when both sides carry one. */
function issuedBy(certificate: Certificate, issuer: Certificate): boolean {
  const issuerName = Buffer.from(AsnConvert.serialize(certificate.tbsCertificate.issuer));
  if (!issuerName.equals(Buffer.from(AsnConvert.serialize(issuer.tbsCertificate.subject)))) return false;
  const keyId = authorityKeyIdentifierOf(certificate);
  const issuerKeyId = subjectKeyIdentifierOf(issuer);
  return !keyId || !issuerKeyId || keyId.equals(issuerKeyId);
}

function authorityKeyIdentifierOf(certificate: Certificate): Buffer | undefined {
  const extension = certificate.tbsCertificate.extensions?.find((candidate) => candidate.extnID === id_ce_authorityKeyIdentifier);
  if (!extension) return undefined;
  try {
    const keyIdentifier = AsnConvert.parse(extension.extnValue, AuthorityKeyIdentifier).keyIdentifier;
    return keyIdentifier ? Buffer.from(keyIdentifier.buffer) : undefined;
  } catch {
    return undefined;
  }
}

function signatureVerifies(certificate: Certificate, issuer: Certificate): boolean {
  const hash = ecdsaHashOf(certificate.signatureAlgorithm.algorithm);
  if (!hash || !certificate.tbsCertificateRaw) return false;
  try {
    const issuerKey = new Uint8Array(AsnConvert.serialize(issuer.tbsCertificate.subjectPublicKeyInfo));
    return verifyEcdsaSignature({
      publicKey: issuerKey,
      hash,
      data: new Uint8Array(certificate.tbsCertificateRaw),
      signature: new Uint8Array(certificate.signatureValue),
    });
  } catch {
    return false;
  }
}

function requireValidAt(certificate: Certificate, now: Date): void {
  const { notBefore, notAfter } = certificate.tbsCertificate.validity;
  if (now < notBefore.getTime()) {
    throw new CrmfInputError('crmf.signer-not-yet-valid', `the renewal signer certificate is not valid before ${notBefore.getTime().toISOString()}`);
  }
  if (now > notAfter.getTime()) {
    throw new CrmfInputError('crmf.signer-expired', `the renewal signer certificate expired at ${notAfter.getTime().toISOString()}`);
  }
}

function describeIssuer(certificate: Certificate): string {
  const commonName = certificate.tbsCertificate.issuer
    .flatMap((rdn) => [...rdn])
    .find((attribute) => attribute.type === '2.5.4.3');
  return commonName ? `CN=${commonName.value.toString()}` : 'no common name';
}
