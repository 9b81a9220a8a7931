/** The subject public key: EC, named curve, a curve of the profile. */
import { KeyAlgorithmOids } from '@smpki/crypto';
import { error } from '../finding';
import type { CertificateCheck } from './certificate-check';

export const checkSubjectKey: CertificateCheck = (facts, { profile }) => {
  const key = facts.publicKey;
  if (key.algorithmOid !== KeyAlgorithmOids.ecPublicKey) {
    return [error('key.algorithm', `the subject key is not an EC key (algorithm ${key.algorithmOid})`)];
  }
  if (key.explicitParameters) {
    return [error('key.explicit-parameters', 'the subject key carries explicit curve parameters instead of a named curve')];
  }
  if (!key.curve || !profile.key.curves.includes(key.curve)) {
    const curve = key.curve ?? key.curveOid ?? 'no named curve';
    return [error('key.curve', `the subject key is on ${curve}; profile ${profile.name} allows ${profile.key.curves.join(', ')}`)];
  }
  return [];
};
