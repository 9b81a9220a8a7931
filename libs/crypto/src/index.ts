/**
 * @smpki/crypto: certificates, CRLs and PKCS#10 requests, encoded fast and verified correctly on every brainpool
 * curve. Signing goes through the key-manager Signer of @smpki/hsm; verification through node:crypto.
 */
export { CryptoInputError, isCryptoInputError, type CryptoInputRule } from './crypto-input-error';
export {
  CertificateExtensionOids,
  CrlExtensionOids,
  CurveOids,
  ExtendedKeyUsageOids,
  KeyAlgorithmOids,
  NameAttributeOids,
  Pkcs9Oids,
  PkixOids,
  SignatureAlgorithmOids,
  SmPkiOids,
} from './oids';
export { ALLOWED_CURVES, EC_CURVES, ecCurve, ecCurveByOid, type EcCurve } from './curves';
export { HASH_ALGORITHMS, nodeHashName } from './hash-algorithm';
export {
  ecdsaSignatureAlgorithm,
  parseSignatureAlgorithm,
  signatureAlgorithmForCurve,
  type SignatureAlgorithm,
  type SignatureAlgorithmName,
} from './signature-algorithm';
export { derFromInput, fromPem, toPem, type PemLabel } from './pem';
// the strict DER reader (also what @smpki/policy reads certificate facts with)
export * from './der';

// ECDSA signature formats and the @peculiar/x509 brainpool fix
export { ecdsaDerToRaw, ecdsaRawToDer } from './ecdsa/ecdsa-signature';
export { fixPeculiarBrainpoolSignatureSizes, PECULIAR_BRAINPOOL_CURVE_SIZES } from './peculiar/brainpool-signature-sizes';
export { peculiarSigningKey, type PeculiarSigningKey } from './peculiar/peculiar-signing-key';

// keys and signatures
export { parseSubjectPublicKeyInfo, publicKeyObject, type EcPublicKeyInfo, type SpkiParseOptions } from './keys/subject-public-key-info';
export { keyIdentifierFromSpki } from './keys/key-identifier';
export { verifyEcdsaSignature, type SignatureCheck } from './verify-signature';

// X.509 building blocks
export {
  encodeName,
  formatName,
  isPrintableString,
  nameDer,
  parseName,
  ParsedName,
  type DistinguishedName,
  type NameAttribute,
  type NameAttributeType,
  type NameInput,
  type NameStringEncoding,
  type ParsedNameAttribute,
} from './x509/name';
export { namesMatch } from './x509/name-match';
export {
  randomSerialNumber,
  serialNumberContents,
  serialNumberHex,
  serialNumberMagnitude,
  type SerialNumberInput,
} from './x509/serial-number';
export {
  decodeGeneralName,
  encodeGeneralName,
  encodeGeneralNames,
  formatGeneralName,
  type GeneralName,
  type GeneralNameInput,
} from './x509/general-name';
export { encodeExtension, encodeExtensions, type CertificateExtension, type ExtensionOptions } from './x509/certificate-extension';
export { basicConstraints, decodeBasicConstraints, type BasicConstraints } from './x509/extensions/basic-constraints';
export { decodeKeyUsage, KEY_USAGES, keyUsage, type KeyUsage } from './x509/extensions/key-usage';
export { decodeExtendedKeyUsage, extendedKeyUsage, type ExtendedKeyUsageName } from './x509/extensions/extended-key-usage';
export { decodeSubjectAltName, subjectAltName } from './x509/extensions/subject-alt-name';
export { decodeIssuerAltName, issuerAltName } from './x509/extensions/issuer-alt-name';
export { decodeSubjectKeyIdentifier, subjectKeyIdentifier } from './x509/extensions/subject-key-identifier';
export {
  authorityKeyIdentifier,
  decodeAuthorityKeyIdentifier,
  type AuthorityKeyIdentifier,
  type AuthorityKeyIdentifierInput,
} from './x509/extensions/authority-key-identifier';
export {
  crlDistributionPoints,
  decodeCrlDistributionPoints,
  freshestCrl,
  REASON_FLAGS,
  type DistributionPoint,
  type DistributionPointInput,
  type DistributionPointNameInput,
  type ReasonFlag,
} from './x509/extensions/crl-distribution-points';
export {
  authorityInfoAccess,
  decodeAuthorityInfoAccess,
  type AccessDescription,
  type AuthorityInfoAccessInput,
} from './x509/extensions/authority-info-access';
export {
  certificatePolicies,
  decodeCertificatePolicies,
  type PolicyInformation,
  type PolicyInput,
} from './x509/extensions/certificate-policies';

// certificates
export type { CertificateTemplate, Validity } from './x509/certificate-template';
export { encodeTbsCertificate, encodeValidity, issueCertificate, type IssueOptions } from './x509/certificate-builder';
export { ParsedCertificate, parseCertificate, verifyCertificateSignature } from './x509/parsed-certificate';
export { encodeSignedStructure } from './x509/signed-structure';

// Signature verification on worker threads
export { SignatureVerifierPool, type PooledSignatureCheck, type SignatureVerifierPoolOptions } from './verify-pool/signature-verifier-pool';

// PKCS#10
export {
  parseCertificationRequest,
  verifyProofOfPossession,
  verifyProofOfPossessionOn,
  type CertificationRequestOptions,
  type ParsedCertificationRequest,
  type RequestAttribute,
} from './pkcs10/certification-request';
export { createCertificationRequest, type CertificationRequestInput } from './pkcs10/certification-request-builder';

// CRLs
export { CRL_REASON_CODES, crlReasonCode, crlReasonOfCode, type CrlReason } from './crl/crl-reason';
export type { RevokedCertificate } from './crl/revoked-certificate';
export type { CrlTemplate } from './crl/crl-template';
export {
  crlNumber,
  decodeCrlNumber,
  decodeIssuingDistributionPoint,
  deltaCrlIndicator,
  issuingDistributionPoint,
  type IssuingDistributionPoint,
  type IssuingDistributionPointInput,
} from './crl/crl-extensions';
export { encodeCrl, type CrlEncodingOptions, type EncodedCrl, type RevokedCertificateSource } from './crl/streaming-crl-encoder';
export { ParsedCrl, ParsedCrlEntry, parseCrl } from './crl/parsed-crl';
export * from './crmf';
export * from './cms';
