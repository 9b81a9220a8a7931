import type { CertificateFacts } from '../certificate-facts';
import type { CertificateProfile } from '../certificate-profile';
import type { Finding } from '../finding';

export interface CheckContext {
  profile: CertificateProfile;
  /** The issuer, when known; for a self-signed profile the certificate itself. */
  issuer?: CertificateFacts;
  /** `certificate`: a signed certificate (linter). `candidate`: about to be issued, nothing signed yet. */
  mode: 'certificate' | 'candidate';
}

/** One small rule family: reads facts and the profile, returns findings (none when the certificate complies). */
export type CertificateCheck = (facts: CertificateFacts, context: CheckContext) => Finding[];
