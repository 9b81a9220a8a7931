/**
 * CertReqMessages -> checked requests. Every request must name a subject and an acceptable public key and prove
 * possession of the private key; fields RFC 4211 reserves for the CA (serialNumber, signingAlg, issuerUID,
 * subjectUID) are refused rather than silently dropped, so a client bug shows up at the first request.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Extension } from '@peculiar/asn1-x509';
import { berChildren, BerError, berSlice, readSingleBerElement } from '../cms/ber-element';
import { CertReqMsg, type CertTemplate } from './asn1';
import type { CrmfCertificateRequest } from './crmf-certificate-request';
import { CrmfInputError } from './crmf-input-error';
import { readRequestPublicKey } from './request-public-key';
import { requestPurpose } from './request-purpose';
import { verifyProofOfPossession } from './verify-proof-of-possession';

export interface ParseCertReqMessagesOptions {
  /** Upper bound on requests per message: bounds the work one HTTP request can cause (SM-PKI sends 3). */
  maxRequests?: number;
}

export const DEFAULT_MAX_REQUESTS = 16;

export function parseCertReqMessages(der: Uint8Array, options: ParseCertReqMessagesOptions = {}): CrmfCertificateRequest[] {
  const maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const messages = splitMessages(der);
  if (messages.length === 0) throw new CrmfInputError('crmf.malformed', 'CertReqMessages holds no request');
  if (messages.length > maxRequests) {
    throw new CrmfInputError('crmf.malformed', `CertReqMessages holds ${messages.length} requests, at most ${maxRequests} are accepted`);
  }
  const requests = messages.map((message, index) => parseMessage(message, index));
  rejectDuplicateIds(requests);
  return requests;
}

interface RawMessage {
  bytes: Buffer;
  /** The certReq as received: what the POP signature covers. */
  certReq: Buffer;
  /** The template's subject [5] Name (explicitly tagged: the Name inside), as requested. */
  subject?: Buffer;
  /** The template's publicKey [6] IMPLICIT SubjectPublicKeyInfo, re-tagged as the SEQUENCE it is. */
  publicKey?: Buffer;
}

/** Each CertReqMsg with the exact bytes of the parts that are signed or checked byte for byte. */
function splitMessages(der: Uint8Array): RawMessage[] {
  try {
    const sequence = readSingleBerElement(der);
    if (sequence.tagClass !== 0 || sequence.tagNumber !== 16) throw new BerError('CertReqMessages is not a SEQUENCE');
    return berChildren(der, sequence).map((element) => {
      const [certReq] = berChildren(der, element);
      if (!certReq) throw new BerError('a CertReqMsg is empty');
      const template = berChildren(der, certReq)[1];
      const fields = template?.constructed ? berChildren(der, template) : [];
      const field = (tagNumber: number) => fields.find((candidate) => candidate.tagClass === 2 && candidate.tagNumber === tagNumber);
      const subject = field(5);
      const subjectName = subject?.constructed ? berChildren(der, subject)[0] : undefined;
      const publicKey = field(6);
      return {
        bytes: berSlice(der, element),
        certReq: berSlice(der, certReq),
        subject: subjectName && Buffer.from(berSlice(der, subjectName)),
        publicKey: publicKey && retagAsSequence(berSlice(der, publicKey)),
      };
    });
  } catch (error) {
    if (error instanceof BerError) throw new CrmfInputError('crmf.malformed', `CertReqMessages is not valid DER/BER: ${error.message}`, { cause: error });
    throw error;
  }
}

function parseMessage(raw: RawMessage, index: number): CrmfCertificateRequest {
  let where = `request #${index + 1}`;
  let message: CertReqMsg;
  try {
    message = AsnConvert.parse(raw.bytes, CertReqMsg);
  } catch (error) {
    throw new CrmfInputError('crmf.malformed', `${where} is not a CertReqMsg: ${(error as Error).message}`, { cause: error });
  }
  const certReqId = integerValue(message.certReq.certReqId);
  where = `${where} (certReqId ${certReqId.toString(16)})`;
  const template = message.certReq.certTemplate;
  rejectReservedFields(template, where);
  if (!template.subject || template.subject.length === 0 || !raw.subject) throw new CrmfInputError('crmf.template-incomplete', `${where} names no subject`);
  if (!template.publicKey || !raw.publicKey) throw new CrmfInputError('crmf.template-incomplete', `${where} carries no public key`);
  const publicKey = readRequestPublicKey(raw.publicKey);
  const extensions = [...(template.extensions ?? [])];
  rejectDuplicateExtensions(extensions, where);
  const hash = verifyProofOfPossession(message.popo, raw.certReq, publicKey.key, where);
  return {
    certReqId,
    purpose: purposeOf(extensions, where),
    subject: template.subject,
    subjectDer: raw.subject,
    publicKey,
    extensions,
    validity: template.validity && {
      notBefore: template.validity.notBefore?.getTime(),
      notAfter: template.validity.notAfter?.getTime(),
    },
    controls: message.certReq.controls ?? [],
    proofOfPossession: { method: 'signature', hash },
    template,
    certRequestDer: raw.certReq,
  };
}

function rejectReservedFields(template: CertTemplate, where: string): void {
  if (template.version !== undefined && template.version !== 1) {
    throw new CrmfInputError('crmf.template-field', `${where}: template version ${template.version}, only v2 (1) may be given`);
  }
  const reserved = (['serialNumber', 'signingAlg', 'issuerUID', 'subjectUID'] as const).filter((field) => template[field] !== undefined);
  if (reserved.length > 0) {
    throw new CrmfInputError('crmf.template-field', `${where}: the template sets ${reserved.join(', ')}, which only the CA may set (RFC 4211 5)`);
  }
}

function rejectDuplicateExtensions(extensions: readonly Extension[], where: string): void {
  const seen = new Set<string>();
  for (const extension of extensions) {
    if (seen.has(extension.extnID)) throw new CrmfInputError('crmf.malformed', `${where} requests extension ${extension.extnID} twice`);
    seen.add(extension.extnID);
  }
}

function purposeOf(extensions: readonly Extension[], where: string): CrmfCertificateRequest['purpose'] {
  try {
    return requestPurpose(extensions);
  } catch (error) {
    throw new CrmfInputError('crmf.malformed', `${where}: the requested keyUsage or extendedKeyUsage is malformed`, { cause: error });
  }
}

function rejectDuplicateIds(requests: readonly CrmfCertificateRequest[]): void {
  const seen = new Set<bigint>();
  for (const request of requests) {
    if (seen.has(request.certReqId)) {
      throw new CrmfInputError('crmf.duplicate-request-id', `certReqId ${request.certReqId.toString(16)} is used by more than one request`);
    }
    seen.add(request.certReqId);
  }
}

function retagAsSequence(implicit: Buffer): Buffer {
  const copy = Buffer.from(implicit);
  copy[0] = 0x30;
  return copy;
}

/** A DER INTEGER's content octets (two's complement) as a bigint. */
function integerValue(bytes: ArrayBuffer): bigint {
  const view = Buffer.from(bytes);
  if (view.length === 0) return 0n;
  const magnitude = BigInt(`0x${view.toString('hex')}`);
  return view[0]! & 0x80 ? magnitude - (1n << BigInt(view.length * 8)) : magnitude;
}
