/**
 * Which SM-PKI profile a certificate claims to follow, from what it says about itself: CA or not (basicConstraints,
 * keyCertSign), self-issued or a link between root generations, cRLSign-only, a meter identification, the
 * `.SMGW` role segment, and the key pair's purpose (EKU for TLS, keyEncipherment/keyAgreement for ENC, else SIG).
 * A certificate that breaks its profile is still recognised, so the findings say how it breaks it.
 */
import { ExtendedKeyUsageOids } from '@smpki/crypto';
import { attributeValues, type CertificateFacts } from './certificate-facts';
import type { ProfileSet } from './certificate-profile';
import type { SmPkiProfileName } from './sm-pki-profiles';

export function detectSmPkiProfile(facts: CertificateFacts, profiles: ProfileSet): SmPkiProfileName {
  const keyUsage = facts.decoded.keyUsage ?? [];
  if (facts.decoded.basicConstraints?.cA || keyUsage.includes('keyCertSign')) return caProfile(facts);
  if (keyUsage.includes('cRLSign')) return 'sm-crl-signer';
  if (hasMeterId(facts, profiles)) return 'meter-calibration';
  const commonName = attributeValues(facts.subject, 'CN')[0] ?? '';
  const family = commonName.split('.').slice(1).includes('SMGW') ? 'sm-gateway' : 'sm-user';
  return `${family}-${purposeOf(facts)}`;
}

function caProfile(facts: CertificateFacts): SmPkiProfileName {
  const { authorityKeyIdentifier, subjectKeyIdentifier } = facts.decoded;
  const selfIssued = facts.issuer?.der.equals(facts.subject.der) ?? false;
  const sameKey = !authorityKeyIdentifier || !subjectKeyIdentifier || authorityKeyIdentifier.equals(subjectKeyIdentifier);
  if (selfIssued) return sameKey ? 'sm-root-ca' : 'sm-link';
  // A link certificate joins two generations of the same root: same common name, other serialNumber.
  const [subjectCn] = attributeValues(facts.subject, 'CN');
  const [issuerCn] = attributeValues(facts.issuer, 'CN');
  return subjectCn !== undefined && subjectCn === issuerCn ? 'sm-link' : 'sm-sub-ca';
}

function hasMeterId(facts: CertificateFacts, profiles: ProfileSet): boolean {
  const meterId = profiles['meter-calibration']?.naming.meterId;
  if (!meterId) return false;
  const pattern = new RegExp(meterId.pattern);
  return attributeValues(facts.subject, meterId.attribute).some((value) => pattern.test(value));
}

function purposeOf(facts: CertificateFacts): 'tls' | 'sig' | 'enc' {
  const purposes = facts.decoded.extendedKeyUsage ?? [];
  if (purposes.includes(ExtendedKeyUsageOids.serverAuth) || purposes.includes(ExtendedKeyUsageOids.clientAuth)) return 'tls';
  const keyUsage = facts.decoded.keyUsage ?? [];
  return keyUsage.includes('keyEncipherment') || keyUsage.includes('keyAgreement') ? 'enc' : 'sig';
}
