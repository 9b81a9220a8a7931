/**
 * The signature: ECDSA with a SHA-2 hash the profile allows, matching the issuer's curve where required, and
 * (for a signed certificate with a known issuer) verifying under the issuer's key.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { CertificateFacts } from '../certificate-facts';
import { error, type Finding } from '../finding';
import { CURVE_HASH } from '../vocabulary';
import type { CertificateCheck } from './certificate-check';

export const checkSignatureAlgorithm: CertificateCheck = (facts, { profile, issuer }) => {
  if (!facts.signatureAlgorithmOid) return [];
  if (facts.signatureAlgorithmMismatch) {
    return [error('signature.algorithm', 'the TBSCertificate signature algorithm differs from the outer signatureAlgorithm')];
  }
  const hash = facts.signatureHash;
  if (!hash) return [error('signature.algorithm', `signature algorithm ${facts.signatureAlgorithmOid} is not ECDSA with SHA-256/384/512`)];
  const findings: Finding[] = [];
  if (!profile.signature.hashes.includes(hash)) {
    findings.push(error('signature.hash', `signed with ${hash}; profile ${profile.name} allows ${profile.signature.hashes.join(', ')}`));
  }
  const issuerCurve = issuer?.publicKey.curve;
  if (profile.signature.hashMatchesIssuerCurve && issuerCurve && CURVE_HASH[issuerCurve] !== hash) {
    findings.push(error('signature.hash', `signed with ${hash}, but an issuer key on ${issuerCurve} signs with ${CURVE_HASH[issuerCurve]}`));
  }
  return findings;
};

export const checkSignatureValue: CertificateCheck = (facts, { issuer, mode }) => {
  if (mode !== 'certificate' || !issuer || !facts.signed || !facts.signatureHash) return [];
  let valid: boolean;
  try {
    const key = issuerKey(issuer);
    valid = verify(facts.signatureHash.replace('-', '').toLowerCase(), facts.signed.tbs, { key, dsaEncoding: 'der' }, facts.signed.signature);
  } catch {
    valid = false;
  }
  return valid ? [] : [error('signature.valid', "the signature does not verify with the issuer's public key")];
};

/** Issuer keys by facts object: making a key costs ~250 µs, and a linter run checks many certificates of one CA. */
const ISSUER_KEYS = new WeakMap<CertificateFacts, KeyObject>();

function issuerKey(issuer: CertificateFacts): KeyObject {
  let key = ISSUER_KEYS.get(issuer);
  if (!key) {
    key = createPublicKey({ key: issuer.publicKey.spki, format: 'der', type: 'spki' });
    ISSUER_KEYS.set(issuer, key);
  }
  return key;
}
