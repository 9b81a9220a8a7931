/** Everything a certificate says, decided by the CA and its profile before the builder encodes and signs it. */
import type { CertificateExtension } from './certificate-extension';
import type { NameInput } from './name';
import type { SerialNumberInput } from './serial-number';

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateTemplate {
  serialNumber: SerialNumberInput;
  /** The issuer's subject: best passed as the DER from the issuer certificate, so the names match byte for byte. */
  issuer: NameInput;
  subject: NameInput;
  /** Milliseconds are dropped; UTCTime through 2049, GeneralizedTime from 2050. */
  validity: Validity;
  /** The subject's SubjectPublicKeyInfo DER (checked by the caller, e.g. with parseSubjectPublicKeyInfo). */
  subjectPublicKeyInfo: Uint8Array;
  /** In the order they should appear; each OID at most once. */
  extensions: readonly CertificateExtension[];
}
