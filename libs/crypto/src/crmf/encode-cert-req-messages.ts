/**
 * Encodes SM-PKI CRMF requests from public keys and signing functions: each CertRequest is signed for its proof
 * of possession (signature over the DER of the CertRequest, no poposkInput), as SM-PKI clients do. Used by tests,
 * by the meter tooling and by anyone who needs a request without a third-party client.
 */
import { ContentInfo } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extensions, Name, SubjectPublicKeyInfo, Time, type Extension } from '@peculiar/asn1-x509';
import type { HashAlgorithm } from '@smpki/hsm';
import { ECDSA_WITH_SHA_OIDS } from '../cms/ecdsa-algorithms';
import { encodeSignedData, type SignFunction } from '../cms/encode-signed-data';
import { keyIdentifierFromSpki } from '../keys/key-identifier';
import { CertReqMessages, CertReqMsg, CertRequest, CertTemplate, OptionalValidity, POPOSigningKey, ProofOfPossession } from './asn1';
import { SM_PKI_INITIAL_REQUEST_OID, SM_PKI_RENEWAL_REQUEST_OID } from './sm-pki-request-content-types';

export interface CertificateRequestToEncode {
  /** Default: the SHA-1 of the subjectPublicKey bits (the RFC 5280 key identifier), as SM-PKI clients choose it. */
  certReqId?: bigint;
  /** The subject, as a Name or its DER. */
  subject: Name | Uint8Array;
  /** DER SubjectPublicKeyInfo of the key to certify. */
  publicKey: Uint8Array;
  extensions?: readonly Extension[];
  validity?: { notBefore?: Date; notAfter?: Date };
  /** Signs with the private key of `publicKey`, for the proof of possession. */
  sign: SignFunction;
  /** The hash `sign` applies (default SHA-256). */
  hash?: HashAlgorithm;
}

export interface RenewalSignerToEncode {
  /** DER of the old signature certificate; its key signs the renewal. */
  certificate: Uint8Array;
  /** Certificates to include after it (its issuing CA, ...). */
  chain?: readonly Uint8Array[];
  sign: SignFunction;
  hash?: HashAlgorithm;
}

export async function encodeCertReqMessages(requests: readonly CertificateRequestToEncode[]): Promise<Buffer> {
  if (requests.length === 0) throw new Error('at least one certificate request is needed');
  const messages = await Promise.all(requests.map((request) => encodeMessage(request)));
  return Buffer.from(AsnConvert.serialize(new CertReqMessages(messages)));
}

/** `ContentInfo { 0.4.0.127.0.7.4.1.1.1, CertReqMessages }`, DER. */
export async function encodeInitialRequest(requests: readonly CertificateRequestToEncode[]): Promise<Buffer> {
  const content = await encodeCertReqMessages(requests);
  return contentInfo(SM_PKI_INITIAL_REQUEST_OID, content);
}

/** `ContentInfo { 0.4.0.127.0.7.4.1.1.2, SignedData { CertReqMessages } }` signed with the old signature key, DER. */
export async function encodeRenewalRequest(requests: readonly CertificateRequestToEncode[], signer: RenewalSignerToEncode): Promise<Buffer> {
  const signedData = await encodeSignedData({
    contentType: SM_PKI_INITIAL_REQUEST_OID,
    content: await encodeCertReqMessages(requests),
    signerCertificate: signer.certificate,
    certificates: signer.chain,
    sign: signer.sign,
    hash: signer.hash,
  });
  return contentInfo(SM_PKI_RENEWAL_REQUEST_OID, signedData);
}

async function encodeMessage(request: CertificateRequestToEncode): Promise<CertReqMsg> {
  const publicKey = AsnConvert.parse(request.publicKey, SubjectPublicKeyInfo);
  const certRequest = new CertRequest({
    certReqId: integerBytes(request.certReqId ?? BigInt(`0x${keyIdentifierFromSpki(request.publicKey).toString('hex')}`)),
    certTemplate: new CertTemplate({
      subject: request.subject instanceof Name ? request.subject : AsnConvert.parse(request.subject, Name),
      publicKey,
      validity: request.validity && new OptionalValidity({
        notBefore: request.validity.notBefore && new Time(request.validity.notBefore),
        notAfter: request.validity.notAfter && new Time(request.validity.notAfter),
      }),
      extensions: request.extensions && request.extensions.length > 0 ? new Extensions([...request.extensions]) : undefined,
    }),
  });
  const hash = request.hash ?? 'SHA-256';
  const signature = await request.sign(new Uint8Array(AsnConvert.serialize(certRequest)));
  const popo = new ProofOfPossession({
    signature: new POPOSigningKey({
      algorithmIdentifier: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA_OIDS[hash] }),
      signature: toArrayBuffer(signature),
    }),
  });
  return new CertReqMsg({ certReq: certRequest, popo });
}

function contentInfo(contentType: string, content: Uint8Array): Buffer {
  return Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType, content: toArrayBuffer(content) })));
}

/** A non-negative bigint as DER INTEGER content octets (a leading zero keeps it positive). */
function integerBytes(value: bigint): ArrayBuffer {
  if (value < 0n) throw new Error('certReqId must not be negative');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return toArrayBuffer(Buffer.from(hex, 'hex'));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
