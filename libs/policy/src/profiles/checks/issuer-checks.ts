/** How the certificate names its issuer: name chaining, key identifier chaining, self-issuance of a root. */
import { error, type Finding } from '../finding';
import type { CertificateCheck } from './certificate-check';

export const checkIssuerLink: CertificateCheck = (facts, { profile, issuer }) => {
  const findings: Finding[] = [];
  if (profile.selfSigned && facts.issuer && !facts.issuer.der.equals(facts.subject.der)) {
    findings.push(error('name.self-issued', `profile ${profile.name} is self-signed, but the issuer name differs from the subject name`));
  }
  const ownKeyId = facts.decoded.subjectKeyIdentifier;
  if (profile.selfSigned && facts.decoded.authorityKeyIdentifier && ownKeyId && !facts.decoded.authorityKeyIdentifier.equals(ownKeyId)) {
    findings.push(error('ext.aki.matches-issuer', 'a self-signed certificate whose authorityKeyIdentifier differs from its own subjectKeyIdentifier'));
  }
  if (!issuer || issuer === facts) return findings;
  if (facts.issuer && !facts.issuer.der.equals(issuer.subject.der)) {
    findings.push(error('name.issuer-match', "the issuer name differs from the issuer certificate's subject name"));
  }
  const keyId = facts.decoded.authorityKeyIdentifier;
  const issuerKeyId = issuer.decoded.subjectKeyIdentifier;
  if (keyId && issuerKeyId && !keyId.equals(issuerKeyId)) {
    findings.push(error('ext.aki.matches-issuer', "the authorityKeyIdentifier differs from the issuer's subjectKeyIdentifier"));
  }
  return findings;
};
