/**
 * Encodes a CMS SignedData (RFC 5652) with one ECDSA signer, the way SM-PKI clients sign renewals: version 3,
 * signer named by subjectKeyIdentifier, encapsulated content, signed attributes content-type, message-digest and
 * CMSAlgorithmProtection (RFC 6211), the signer certificate and its chain included. The private key stays with
 * the caller: `sign` receives the DER of the signed attributes and returns a DER ECDSA-Sig-Value.
 */
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
} from '@peculiar/asn1-cms';
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, SubjectKeyIdentifier } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { CmsAlgorithmProtection, ID_AA_CMS_ALGORITHM_PROTECTION } from './cms-algorithm-protection';
import type { HashAlgorithm } from '@smpki/hsm';
import { digest, DIGEST_OIDS, ECDSA_WITH_SHA_OIDS } from './ecdsa-algorithms';
import { ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, subjectKeyIdentifierOf } from './verify-signed-data';

/** Signs `data` (hashing it with the agreed hash) and returns a DER ECDSA-Sig-Value. */
export type SignFunction = (data: Uint8Array) => Promise<Uint8Array>;

export interface SignedDataInput {
  contentType: string;
  content: Uint8Array;
  /** DER of the signer certificate; it must carry a subjectKeyIdentifier. */
  signerCertificate: Uint8Array;
  /** Further certificates to include (the chain), DER. */
  certificates?: readonly Uint8Array[];
  sign: SignFunction;
  /** The hash `sign` applies (default SHA-256, as SM-PKI signature keys on brainpoolP256r1 use). */
  hash?: HashAlgorithm;
}

/** `SET OF Attribute`, for the DER of the signed attributes as signed. */
@AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })
class AttributeSet extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, AttributeSet.prototype);
  }
}

export async function encodeSignedData(input: SignedDataInput): Promise<Buffer> {
  const hash = input.hash ?? 'SHA-256';
  const signer = AsnConvert.parse(input.signerCertificate, Certificate);
  const keyIdentifier = subjectKeyIdentifierOf(signer);
  if (!keyIdentifier) throw new Error('the signer certificate has no subjectKeyIdentifier extension to name it by');
  const digestAlgorithm = new AlgorithmIdentifier({ algorithm: DIGEST_OIDS[hash] });
  const signatureAlgorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA_OIDS[hash] });
  const attributes = derSorted([
    attribute(ID_CONTENT_TYPE, new asn1js.ObjectIdentifier({ value: input.contentType }).toBER()),
    attribute(ID_MESSAGE_DIGEST, AsnConvert.serialize(new OctetString(digest(hash, input.content)))),
    attribute(ID_AA_CMS_ALGORITHM_PROTECTION, AsnConvert.serialize(new CmsAlgorithmProtection({ digestAlgorithm, signatureAlgorithm }))),
  ]);
  const signature = await input.sign(new Uint8Array(AsnConvert.serialize(new AttributeSet(attributes))));
  const signedData = new SignedData({
    version: 3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: input.contentType,
      eContent: new EncapsulatedContent({ single: new OctetString(input.content) }),
    }),
    // Parsed and re-encoded by @peculiar/asn1-x509: byte-identical for DER certificates (checked in the tests).
    certificates: new CertificateSet(
      [input.signerCertificate, ...(input.certificates ?? [])].map((der) => new CertificateChoices({ certificate: AsnConvert.parse(der, Certificate) })),
    ),
    signerInfos: new SignerInfos([
      new SignerInfo({
        version: 3,
        sid: new SignerIdentifier({ subjectKeyIdentifier: new SubjectKeyIdentifier(keyIdentifier) }),
        digestAlgorithm,
        signedAttrs: attributes,
        signatureAlgorithm,
        signature: new OctetString(signature),
      }),
    ]),
  });
  return Buffer.from(AsnConvert.serialize(signedData));
}

function attribute(type: string, value: ArrayBuffer): Attribute {
  return new Attribute({ attrType: type, attrValues: [value] });
}

/** DER orders a SET OF by the encodings of its elements (X.690 11.6). */
function derSorted(attributes: Attribute[]): Attribute[] {
  return attributes
    .map((item) => ({ item, der: Buffer.from(AsnConvert.serialize(item)) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map(({ item }) => item);
}
