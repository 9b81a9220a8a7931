/**
 * A sub-CA request comes as PKCS#10 or as an SM-PKI CRMF initial request (ContentInfo 0.4.0.127.0.7.4.1.1.1), in
 * a file or a JSON field, as PEM, DER or base64 text. The two are told apart by their first element: a PKCS#10
 * CertificationRequest starts with the certificationRequestInfo SEQUENCE, a ContentInfo with its content type OID.
 * Anything else goes to the PKCS#10 parser, whose refusal (`der.malformed`, ...) names what is wrong.
 */
import { CertificateExtensionOids, parseInitialRequest } from '@smpki/crypto';
import { parseOrRefuse } from '../ca-problems';
import type { RequestedCertificate } from '../certificate-template-builder';

export type SubCaRequestKind = 'pkcs10' | 'crmf';

const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;
const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

export interface ClassifiedRequest {
  kind: SubCaRequestKind;
  /** The request for its parser: PEM text as given, otherwise DER. */
  request: Buffer | string;
}

export function classifySubCaRequest(input: Uint8Array | string): ClassifiedRequest {
  const text = typeof input === 'string' ? input : isText(input) ? Buffer.from(input).toString('latin1') : undefined;
  if (text !== undefined) {
    const label = PEM_LABEL.exec(text)?.[1];
    if (label !== undefined) return { kind: label.includes('CERTIFICATE REQUEST') ? 'pkcs10' : 'crmf', request: text };
    if (BASE64_TEXT.test(text)) return classifyDer(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
  }
  return classifyDer(Buffer.from(typeof input === 'string' ? Buffer.from(input, 'latin1') : input));
}

/** DER/BER never starts with a printable base64 or PEM character where a SEQUENCE tag (0x30 '0') would be. */
function isText(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] !== SEQUENCE;
}

function classifyDer(der: Buffer): ClassifiedRequest {
  return { kind: firstChildTag(der) === OBJECT_IDENTIFIER ? 'crmf' : 'pkcs10', request: der };
}

/** The tag of the first element inside the outer SEQUENCE (definite or indefinite length), if there is one. */
function firstChildTag(der: Buffer): number | undefined {
  if (der.length < 3 || der[0] !== SEQUENCE) return undefined;
  const lengthByte = der[1]!;
  const headerLength = lengthByte <= 0x80 ? 2 : 2 + (lengthByte & 0x7f);
  return der[headerLength];
}

/** The subject, key and subjectAltName of the one CertReqMsg a sub-CA sends; more than one is refused (crmf.malformed). */
export function requestedFromSingleCrmf(request: Uint8Array | string): RequestedCertificate {
  const [entry] = parseOrRefuse(() => parseInitialRequest(request, { maxRequests: 1 })).requests;
  const san = entry!.extensions.find((extension) => extension.extnID === CertificateExtensionOids.subjectAltName);
  return {
    subject: entry!.subjectDer,
    subjectPublicKeyInfo: entry!.publicKey.spki,
    ...(san ? { subjectAltName: Buffer.from(san.extnValue.buffer) } : {}),
  };
}
