/**
 * CMS EnvelopedData with one KeyAgreeRecipientInfo (RFC 5652, RFC 5753 / RFC 3278): ephemeral-static ECDH, the
 * ANSI X9.63 KDF with SHA-1 or SHA-256 (dhSinglePass-stdDH-sha1kdf-scheme / -sha256kdf-scheme), id-aes128-wrap of the
 * content-encryption key, content in aes-128-cbc. That is what `openssl cms -encrypt -aes128 -recip <EC cert>` emits
 * and what the SM-PKI uses. Only structure here: the key agreement itself runs in the HSM (KeyManager).
 */
import {
  CMSVersion,
  ContentInfo,
  EncryptedContent,
  EncryptedContentInfo,
  EnvelopedData,
  id_data,
  id_envelopedData,
  IssuerAndSerialNumber,
  KeyAgreeRecipientIdentifier,
  KeyAgreeRecipientInfo,
  OriginatorIdentifierOrKey,
  OriginatorPublicKey,
  RecipientEncryptedKey,
  RecipientEncryptedKeys,
  RecipientInfo,
  RecipientInfos,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { CryptoInputError } from '../crypto-input-error';
import { derContext, derOctetString, derOid, derSequence } from '../der/der-writer';

export type CmsKdfHash = 'SHA-1' | 'SHA-256';

export const KEY_AGREEMENT_OIDS: Record<CmsKdfHash, string> = {
  'SHA-1': '1.3.133.16.840.63.0.2',
  'SHA-256': '1.3.132.1.11.1',
};
export const ID_AES128_WRAP = '2.16.840.1.101.3.4.1.5';
export const ID_AES128_CBC = '2.16.840.1.101.3.4.1.2';
const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** Who the encrypted key is for, as the envelope names the recipient. */
export type CmsRecipientId = { issuer: Buffer; serialNumber: Buffer } | { subjectKeyIdentifier: Buffer };

export interface KeyAgreeEnvelope {
  /** The originator's ephemeral public key, uncompressed point. */
  ephemeralPoint: Buffer;
  kdfHash: CmsKdfHash;
  /** DER ECC-CMS-SharedInfo for the KDF (keyInfo id-aes128-wrap, the ukm if any, 128 bits). */
  sharedInfo: Buffer;
  recipient: CmsRecipientId;
  /** The content-encryption key, RFC 3394 under the KEK. */
  encryptedKey: Buffer;
  /** aes-128-cbc IV. */
  iv: Buffer;
  encryptedContent: Buffer;
}

function malformed(message: string): CryptoInputError {
  return new CryptoInputError('der.malformed', `CMS EnvelopedData: ${message}`);
}

/** ECC-CMS-SharedInfo ::= SEQUENCE { keyInfo AlgorithmIdentifier, entityUInfo [0] OCTET STRING OPTIONAL, suppPubInfo [2] OCTET STRING } */
export function eccCmsSharedInfo(ukm?: Uint8Array): Buffer {
  const bits = Buffer.alloc(4);
  bits.writeUInt32BE(128);
  return derSequence(
    // keyInfo as OpenSSL writes it: the wrap algorithm with absent parameters.
    derSequence(derOid(ID_AES128_WRAP)),
    ...(ukm ? [derContext(0, true, derOctetString(ukm))] : []),
    derContext(2, true, derOctetString(bits)),
  );
}

function parseEnvelopedData(der: Uint8Array): EnvelopedData {
  try {
    const info = AsnConvert.parse(der, ContentInfo);
    if (info.contentType !== id_envelopedData) throw malformed(`content type ${info.contentType}, expected id-envelopedData`);
    return AsnConvert.parse(info.content, EnvelopedData);
  } catch (error) {
    if (error instanceof CryptoInputError) throw error;
    throw malformed(`not DER or truncated (${(error as Error).message})`);
  }
}

function keyAgreeRecipient(data: EnvelopedData): KeyAgreeRecipientInfo {
  if (data.recipientInfos.length !== 1) throw malformed(`${data.recipientInfos.length} recipients; a shipment has exactly one`);
  const kari = data.recipientInfos[0]!.kari;
  if (!kari) throw malformed('the recipient is not a KeyAgreeRecipientInfo (ECDH)');
  return kari;
}

function kdfHashOf(kari: KeyAgreeRecipientInfo): CmsKdfHash {
  const algorithm = kari.keyEncryptionAlgorithm.algorithm;
  const hash = (Object.keys(KEY_AGREEMENT_OIDS) as CmsKdfHash[]).find((name) => KEY_AGREEMENT_OIDS[name] === algorithm);
  if (!hash) throw malformed(`key agreement ${algorithm} is not dhSinglePass-stdDH-sha1kdf-scheme or -sha256kdf-scheme`);
  const parameters = kari.keyEncryptionAlgorithm.parameters;
  const wrap = parameters ? AsnConvert.parse(parameters, AlgorithmIdentifier) : undefined;
  if (wrap?.algorithm !== ID_AES128_WRAP) throw malformed(`key wrap ${wrap?.algorithm ?? 'absent'}, expected id-aes128-wrap`);
  return hash;
}

function recipientIdOf(entry: RecipientEncryptedKey): CmsRecipientId {
  const { issuerAndSerialNumber, rKeyId } = entry.rid;
  if (issuerAndSerialNumber) {
    return { issuer: Buffer.from(AsnConvert.serialize(issuerAndSerialNumber.issuer)), serialNumber: Buffer.from(issuerAndSerialNumber.serialNumber) };
  }
  return { subjectKeyIdentifier: Buffer.from(rKeyId!.subjectKeyIdentifier.buffer) };
}

/** The parts of an envelope the SKM needs to open it in the HSM; CryptoInputError `der.malformed` otherwise. */
export function parseKeyAgreeEnvelope(der: Uint8Array): KeyAgreeEnvelope {
  const data = parseEnvelopedData(der);
  const kari = keyAgreeRecipient(data);
  const kdfHash = kdfHashOf(kari);
  const originator = kari.originator.originatorKey;
  if (!originator || originator.algorithm.algorithm !== ID_EC_PUBLIC_KEY) throw malformed('the originator is not an ephemeral EC public key');
  if (kari.recipientEncryptedKeys.length !== 1) throw malformed('exactly one recipient encrypted key is expected');
  const entry = kari.recipientEncryptedKeys[0]!;
  const content = data.encryptedContentInfo;
  if (content.contentEncryptionAlgorithm.algorithm !== ID_AES128_CBC) throw malformed(`content encryption ${content.contentEncryptionAlgorithm.algorithm}, expected aes-128-cbc`);
  const ivParameter = content.contentEncryptionAlgorithm.parameters;
  const iv = ivParameter ? Buffer.from(AsnConvert.parse(ivParameter, OctetString).buffer) : Buffer.alloc(0);
  if (iv.length !== 16) throw malformed('the aes-128-cbc IV is not 16 bytes');
  const encryptedContent = contentBytes(content.encryptedContent);
  if (encryptedContent.length === 0 || encryptedContent.length % 16 !== 0) throw malformed('the encrypted content is not a whole number of AES blocks');
  return {
    ephemeralPoint: Buffer.from(originator.publicKey),
    kdfHash,
    sharedInfo: eccCmsSharedInfo(kari.ukm ? Buffer.from(kari.ukm.buffer) : undefined),
    recipient: recipientIdOf(entry),
    encryptedKey: Buffer.from(entry.encryptedKey.buffer),
    iv,
    encryptedContent,
  };
}

/** The content as one buffer, whether sent primitive or (streamed, BER) as constructed chunks. */
function contentBytes(content: EncryptedContent | undefined): Buffer {
  if (!content) throw malformed('the encrypted content is absent (detached content is not accepted)');
  if (content.value) return Buffer.from(content.value.buffer);
  if (content.constructedValue) return Buffer.concat(content.constructedValue.map((chunk) => Buffer.from(chunk.buffer)));
  throw malformed('the encrypted content is empty');
}

/** True when the envelope's recipient id names this certificate (issuer and serial, or subject key identifier). */
export function recipientMatches(recipient: CmsRecipientId, certificateDer: Uint8Array, subjectKeyIdentifier?: Buffer): boolean {
  if ('subjectKeyIdentifier' in recipient) return subjectKeyIdentifier !== undefined && recipient.subjectKeyIdentifier.equals(subjectKeyIdentifier);
  const tbs = AsnConvert.parse(certificateDer, Certificate).tbsCertificate;
  const serial = Buffer.from(tbs.serialNumber);
  return Buffer.from(AsnConvert.serialize(tbs.issuer)).equals(recipient.issuer) && serial.equals(recipient.serialNumber);
}

export interface KeyAgreeEnvelopeInput {
  recipientCertificate: Uint8Array;
  kdfHash: CmsKdfHash;
  ephemeralPoint: Uint8Array;
  encryptedKey: Uint8Array;
  iv: Uint8Array;
  encryptedContent: Uint8Array;
}

/** DER ContentInfo(EnvelopedData) for one recipient certificate, named by issuer and serial number. */
export function encodeKeyAgreeEnvelope(input: KeyAgreeEnvelopeInput): Buffer {
  const tbs = AsnConvert.parse(input.recipientCertificate, Certificate).tbsCertificate;
  const kari = new KeyAgreeRecipientInfo({
    version: CMSVersion.v3,
    originator: new OriginatorIdentifierOrKey({
      originatorKey: new OriginatorPublicKey({ algorithm: new AlgorithmIdentifier({ algorithm: ID_EC_PUBLIC_KEY }), publicKey: toArrayBuffer(input.ephemeralPoint) }),
    }),
    keyEncryptionAlgorithm: new AlgorithmIdentifier({
      algorithm: KEY_AGREEMENT_OIDS[input.kdfHash],
      parameters: toArrayBuffer(derSequence(derOid(ID_AES128_WRAP))),
    }),
    recipientEncryptedKeys: new RecipientEncryptedKeys([
      new RecipientEncryptedKey({
        rid: new KeyAgreeRecipientIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: tbs.issuer, serialNumber: tbs.serialNumber }) }),
        encryptedKey: new OctetString(input.encryptedKey),
      }),
    ]),
  });
  const envelope = new EnvelopedData({
    version: CMSVersion.v2,
    recipientInfos: new RecipientInfos([new RecipientInfo({ kari })]),
    encryptedContentInfo: new EncryptedContentInfo({
      contentType: id_data,
      contentEncryptionAlgorithm: new AlgorithmIdentifier({ algorithm: ID_AES128_CBC, parameters: toArrayBuffer(derOctetString(input.iv)) }),
      encryptedContent: new EncryptedContent({ value: new OctetString(input.encryptedContent) }),
    }),
  });
  return Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType: id_envelopedData, content: AsnConvert.serialize(envelope) })));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
