/**
 * Verifies a CMS SignedData (RFC 5652) with one ECDSA signer whose certificate travels inside it, on every curve
 * node:crypto knows (brainpool included, which pkijs's verifier rejects). What it proves: the encapsulated
 * content was signed by the key of the returned signer certificate. Whether that certificate is trustworthy
 * (issuer, validity, revocation) is the caller's question.
 *
 * Checked: exactly one SignerInfo; signer found among the included certificates by subjectKeyIdentifier or
 * issuerAndSerialNumber; signed attributes present (required for any content type but id-data) with exactly one
 * content-type equal to eContentType and one message-digest equal to the digest of the content;
 * CMSAlgorithmProtection, when present, naming the SignerInfo's algorithms; the signature over the DER of the
 * signed attributes as received.
 */
import { Attribute, EncapsulatedContentInfo, SignerInfo } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier, type AlgorithmIdentifier } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { berChildren, BerError, type BerElement, berOctetStringValue, berSlice, readSingleBerElement } from './ber-element';
import { CmsAlgorithmProtection, ID_AA_CMS_ALGORITHM_PROTECTION } from './cms-algorithm-protection';
import type { HashAlgorithm } from '@smpki/hsm';
import { CrmfInputError } from '../crmf/crmf-input-error';
import { publicKeyObject } from '../keys/subject-public-key-info';
import { verifyEcdsaSignature } from '../verify-signature';
import { digest, digestHashOf, ecdsaHashOf, ID_EC_PUBLIC_KEY } from './ecdsa-algorithms';

export const ID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const ID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

export interface SignedDataCertificate {
  /** The certificate's bytes as included. */
  der: Buffer;
  certificate: Certificate;
}

export interface VerifiedSignedData {
  contentType: string;
  /** The encapsulated content octets (segments of a BER constructed OCTET STRING joined). */
  content: Buffer;
  signer: SignedDataCertificate;
  /** Every certificate included in the SignedData, the signer's among them. */
  certificates: SignedDataCertificate[];
  digestHash: HashAlgorithm;
  signatureHash: HashAlgorithm;
}

export function verifySignedData(signedData: Uint8Array): VerifiedSignedData {
  const parts = readParts(signedData);
  const signerInfo = parseSignerInfo(parts.signerInfo);
  const signer = findSigner(signerInfo, parts.certificates);
  const digestHash = digestHashOf(signerInfo.digestAlgorithm.algorithm);
  if (!digestHash) throw new CrmfInputError('cms.unsupported-algorithm', `digest algorithm ${signerInfo.digestAlgorithm.algorithm} is not SHA-256/384/512`);
  const signatureHash = signatureHashOf(signerInfo, digestHash);
  if (!parts.signedAttributes) throw new CrmfInputError('cms.signed-attributes', 'the SignerInfo has no signed attributes');
  checkSignedAttributes(signerInfo, parts.contentType, digest(digestHash, parts.content));
  const signature = new Uint8Array(signerInfo.signature.buffer);
  let publicKey: ReturnType<typeof publicKeyObject>;
  try {
    publicKey = publicKeyObject(new Uint8Array(AsnConvert.serialize(signer.certificate.tbsCertificate.subjectPublicKeyInfo)));
  } catch (error) {
    throw new CrmfInputError('cms.signature-invalid', 'the signer certificate holds no usable EC public key', { cause: error });
  }
  if (!verifyEcdsaSignature({ publicKey, hash: signatureHash, data: parts.signedAttributes, signature })) throw new CrmfInputError('cms.signature-invalid', 'the SignedData signature does not verify with the signer certificate key');
  return { contentType: parts.contentType, content: parts.content, signer, certificates: parts.certificates, digestHash, signatureHash };
}

interface SignedDataParts {
  contentType: string;
  content: Buffer;
  certificates: SignedDataCertificate[];
  signerInfo: Buffer;
  /** DER of the signed attributes with the SET OF tag, as signed (RFC 5652 5.4), or undefined. */
  signedAttributes?: Buffer;
}

function readParts(bytes: Uint8Array): SignedDataParts {
  try {
    const root = readSingleBerElement(bytes);
    const fields = berChildren(bytes, root);
    const encapsulated = fields[2];
    const signerInfos = fields[fields.length - 1];
    if (fields.length < 4 || !encapsulated || !signerInfos) throw new BerError('SignedData has fewer than four fields');
    const certificateSet = fields.slice(3, -1).find((field) => isContext(field, 0));
    const signers = berChildren(bytes, signerInfos);
    if (signers.length !== 1) throw new CrmfInputError('cms.malformed', `expected exactly one SignerInfo, found ${signers.length}`);
    const signerInfo = signers[0]!;
    return {
      ...readEncapsulatedContent(bytes, encapsulated),
      certificates: certificateSet ? readCertificates(bytes, certificateSet) : [],
      signerInfo: berSlice(bytes, signerInfo),
      signedAttributes: signedAttributesAsSigned(bytes, signerInfo),
    };
  } catch (error) {
    if (error instanceof BerError) throw new CrmfInputError('cms.malformed', `SignedData is not valid DER/BER: ${error.message}`, { cause: error });
    throw error;
  }
}

function readEncapsulatedContent(bytes: Uint8Array, element: BerElement): { contentType: string; content: Buffer } {
  let contentType: string;
  try {
    contentType = AsnConvert.parse(berSlice(bytes, element), EncapsulatedContentInfo).eContentType;
  } catch (error) {
    throw new CrmfInputError('cms.malformed', `encapContentInfo is malformed: ${(error as Error).message}`, { cause: error });
  }
  const explicit = berChildren(bytes, element).find((field) => isContext(field, 0));
  const octets = explicit && berChildren(bytes, explicit)[0];
  if (!octets) throw new CrmfInputError('cms.malformed', 'the SignedData carries no encapsulated content (detached signatures are not accepted)');
  return { contentType, content: berOctetStringValue(bytes, octets) };
}

function readCertificates(bytes: Uint8Array, set: BerElement): SignedDataCertificate[] {
  // CertificateChoices: only the plain `certificate` alternative (a universal SEQUENCE) is of use here.
  return berChildren(bytes, set)
    .filter((choice) => choice.tagClass === 0 && choice.tagNumber === 16)
    .map((choice, index) => {
      const der = Buffer.from(berSlice(bytes, choice));
      try {
        return { der, certificate: AsnConvert.parse(der, Certificate) };
      } catch (error) {
        throw new CrmfInputError('cms.malformed', `included certificate #${index + 1} is malformed: ${(error as Error).message}`, { cause: error });
      }
    });
}

function signedAttributesAsSigned(bytes: Uint8Array, signerInfo: BerElement): Buffer | undefined {
  // SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL, ... }: the sid may itself
  // be a [0] (subjectKeyIdentifier), so look only after the first three fields.
  const attributes = berChildren(bytes, signerInfo).slice(3).find((field) => isContext(field, 0));
  if (!attributes) return undefined;
  if (attributes.indefinite) throw new CrmfInputError('cms.malformed', 'the signed attributes are not DER-encoded');
  // The signature covers the attributes with their SET OF tag, not the [0] IMPLICIT of the SignerInfo.
  const signed = Buffer.from(berSlice(bytes, attributes));
  signed[0] = 0x31;
  return signed;
}

function parseSignerInfo(der: Buffer): SignerInfo {
  try {
    return AsnConvert.parse(der, SignerInfo);
  } catch (error) {
    throw new CrmfInputError('cms.malformed', `the SignerInfo is malformed: ${(error as Error).message}`, { cause: error });
  }
}

function findSigner(signerInfo: SignerInfo, certificates: readonly SignedDataCertificate[]): SignedDataCertificate {
  const { subjectKeyIdentifier, issuerAndSerialNumber } = signerInfo.sid;
  if (subjectKeyIdentifier) {
    const wanted = Buffer.from(subjectKeyIdentifier.buffer);
    const found = certificates.find((candidate) => subjectKeyIdentifierOf(candidate.certificate)?.equals(wanted));
    if (!found) throw new CrmfInputError('cms.signer-not-found', `no included certificate has the signer's subjectKeyIdentifier ${wanted.toString('hex')}`);
    return found;
  }
  if (issuerAndSerialNumber) {
    const issuer = Buffer.from(AsnConvert.serialize(issuerAndSerialNumber.issuer));
    const serial = Buffer.from(issuerAndSerialNumber.serialNumber);
    const found = certificates.find(
      (candidate) =>
        Buffer.from(candidate.certificate.tbsCertificate.serialNumber).equals(serial) &&
        Buffer.from(AsnConvert.serialize(candidate.certificate.tbsCertificate.issuer)).equals(issuer),
    );
    if (!found) throw new CrmfInputError('cms.signer-not-found', `no included certificate has the signer's issuer and serial number ${serial.toString('hex')}`);
    return found;
  }
  throw new CrmfInputError('cms.malformed', 'the SignerInfo identifies no signer');
}

/** The subjectKeyIdentifier extension value of a certificate, if it has one. */
export function subjectKeyIdentifierOf(certificate: Certificate): Buffer | undefined {
  const extension = certificate.tbsCertificate.extensions?.find((candidate) => candidate.extnID === id_ce_subjectKeyIdentifier);
  if (!extension) return undefined;
  try {
    return Buffer.from(AsnConvert.parse(extension.extnValue, SubjectKeyIdentifier).buffer);
  } catch {
    return undefined;
  }
}

function signatureHashOf(signerInfo: SignerInfo, digestHash: HashAlgorithm): HashAlgorithm {
  const algorithm = signerInfo.signatureAlgorithm.algorithm;
  if (algorithm === ID_EC_PUBLIC_KEY) return digestHash;
  const hash = ecdsaHashOf(algorithm);
  if (!hash) throw new CrmfInputError('cms.unsupported-algorithm', `signature algorithm ${algorithm} is not ECDSA with SHA-256/384/512`);
  return hash;
}

function checkSignedAttributes(signerInfo: SignerInfo, contentType: string, contentDigest: Buffer): void {
  const attributes = signerInfo.signedAttrs ?? [];
  const single = (type: string, name: string): ArrayBuffer | undefined => {
    const matching = attributes.filter((attribute) => attribute.attrType === type);
    if (matching.length > 1) throw new CrmfInputError('cms.signed-attributes', `the ${name} attribute occurs ${matching.length} times`);
    const [attribute] = matching as [Attribute?];
    if (attribute && attribute.attrValues.length !== 1) throw new CrmfInputError('cms.signed-attributes', `the ${name} attribute has ${attribute.attrValues.length} values`);
    return attribute?.attrValues[0];
  };
  const signedType = single(ID_CONTENT_TYPE, 'content-type');
  if (!signedType) throw new CrmfInputError('cms.signed-attributes', 'the content-type signed attribute is missing');
  const signedTypeOid = objectIdentifierValue(signedType);
  if (signedTypeOid !== contentType) {
    throw new CrmfInputError('cms.signed-attributes', `the signed content-type ${signedTypeOid ?? '(malformed)'} differs from eContentType ${contentType}`);
  }
  const signedDigest = single(ID_MESSAGE_DIGEST, 'message-digest');
  if (!signedDigest) throw new CrmfInputError('cms.signed-attributes', 'the message-digest signed attribute is missing');
  if (!octetStringValue(signedDigest)?.equals(contentDigest)) {
    throw new CrmfInputError('cms.signed-attributes', 'the signed message-digest does not match the digest of the content');
  }
  const protection = single(ID_AA_CMS_ALGORITHM_PROTECTION, 'CMSAlgorithmProtection');
  if (protection) checkAlgorithmProtection(protection, signerInfo);
}

function checkAlgorithmProtection(value: ArrayBuffer, signerInfo: SignerInfo): void {
  let protection: CmsAlgorithmProtection;
  try {
    protection = AsnConvert.parse(value, CmsAlgorithmProtection);
  } catch (error) {
    throw new CrmfInputError('cms.signed-attributes', 'the CMSAlgorithmProtection attribute is malformed', { cause: error });
  }
  const sameDigest = sameAlgorithm(protection.digestAlgorithm, signerInfo.digestAlgorithm);
  const sameSignature = protection.signatureAlgorithm !== undefined && sameAlgorithm(protection.signatureAlgorithm, signerInfo.signatureAlgorithm);
  if (!sameDigest || !sameSignature) {
    throw new CrmfInputError('cms.signed-attributes', 'CMSAlgorithmProtection names other algorithms than the SignerInfo (algorithm substitution)');
  }
}

/** Same OID, and the same parameters where an absent and a NULL parameter count as equal (RFC 5754 3). */
function sameAlgorithm(a: AlgorithmIdentifier, b: AlgorithmIdentifier): boolean {
  const parameters = (algorithm: AlgorithmIdentifier): string => {
    const hex = algorithm.parameters ? Buffer.from(algorithm.parameters).toString('hex') : '';
    return hex === '0500' ? '' : hex;
  };
  return a.algorithm === b.algorithm && parameters(a) === parameters(b);
}

function objectIdentifierValue(value: ArrayBuffer): string | undefined {
  const parsed = asn1js.fromBER(value);
  return parsed.offset !== -1 && parsed.result instanceof asn1js.ObjectIdentifier ? parsed.result.getValue() : undefined;
}

function octetStringValue(value: ArrayBuffer): Buffer | undefined {
  try {
    return Buffer.from(AsnConvert.parse(value, OctetString).buffer);
  } catch {
    return undefined;
  }
}

function isContext(element: BerElement, tagNumber: number): boolean {
  return element.tagClass === 2 && element.tagNumber === tagNumber;
}
