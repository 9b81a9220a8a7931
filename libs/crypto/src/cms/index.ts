/** CMS pieces smpki needs beyond pkijs: brainpool-capable SignedData verification and encoding. */
export { BerError, berChildren, berOctetStringValue, berSlice, readBerElement, readSingleBerElement, type BerElement } from './ber-element';
export { DIGEST_OIDS, ECDSA_WITH_SHA_OIDS, digest, digestHashOf, ecdsaHashOf } from './ecdsa-algorithms';
export { CmsAlgorithmProtection, ID_AA_CMS_ALGORITHM_PROTECTION } from './cms-algorithm-protection';
export {
  ID_CONTENT_TYPE,
  ID_MESSAGE_DIGEST,
  subjectKeyIdentifierOf,
  verifySignedData,
  type SignedDataCertificate,
  type VerifiedSignedData,
} from './verify-signed-data';
export { encodeSignedData, type SignFunction, type SignedDataInput } from './encode-signed-data';
export {
  eccCmsSharedInfo,
  encodeKeyAgreeEnvelope,
  ID_AES128_CBC,
  ID_AES128_WRAP,
  KEY_AGREEMENT_OIDS,
  parseKeyAgreeEnvelope,
  recipientMatches,
  type CmsKdfHash,
  type CmsRecipientId,
  type KeyAgreeEnvelope,
  type KeyAgreeEnvelopeInput,
} from './key-agree-envelope';
