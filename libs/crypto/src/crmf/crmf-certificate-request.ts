import type { Extension, Name } from '@peculiar/asn1-x509';
import type { HashAlgorithm } from '@smpki/hsm';
import type { CertTemplate, CrmfAttributeTypeAndValue } from './asn1';
import type { RequestPublicKey } from './request-public-key';
import type { SmPkiKeyPurpose } from './request-purpose';

/** One checked request of a CertReqMessages: structure valid, key acceptable, proof of possession verified. */
export interface CrmfCertificateRequest {
  certReqId: bigint;
  /** From the requested keyUsage / extended key usage; undefined when they name none of tls, sig, enc. */
  purpose: SmPkiKeyPurpose | undefined;
  subject: Name;
  /** DER of the requested subject Name, the bytes as received (copy it into the certificate unchanged). */
  subjectDer: Buffer;
  publicKey: RequestPublicKey;
  /** Requested extensions, in request order (the CA decides which it takes over). */
  extensions: Extension[];
  /** Requested validity, when the client proposed one. */
  validity?: { notBefore?: Date; notAfter?: Date };
  controls: CrmfAttributeTypeAndValue[];
  proofOfPossession: { method: 'signature'; hash: HashAlgorithm };
  /** The template as parsed, for anything not lifted above. */
  template: CertTemplate;
  /** The certReq bytes as received (what the POP signs). */
  certRequestDer: Buffer;
}
