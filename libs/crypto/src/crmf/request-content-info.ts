/**
 * The outer ContentInfo of an SM-PKI request, from DER/BER bytes or base64 text (what the files and the
 * TR-03129-4 web service carry; a PEM armour around the base64 is tolerated).
 */
import * as asn1js from 'asn1js';
import { berChildren, BerError, berSlice, readSingleBerElement } from '../cms/ber-element';
import { CrmfInputError } from './crmf-input-error';
import { SM_PKI_INITIAL_REQUEST_OID, SM_PKI_RENEWAL_REQUEST_OID } from './sm-pki-request-content-types';

/** A request as bytes (DER/BER, or base64 text as bytes) or as base64 text. */
export type RequestInput = Uint8Array | string;

/** Refused beyond this size: the largest real request (renewal with two certificates) is under 5 kB. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export interface RequestContentInfo {
  contentType: string;
  /** The encoding of the [0] content (CertReqMessages or SignedData). */
  content: Buffer;
}

/**
 * `ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }`, read with the BER
 * reader: real requests use indefinite lengths, and the content is parsed once, by whoever understands it.
 */
export function readRequestContentInfo(input: RequestInput): RequestContentInfo {
  const der = requestBytes(input);
  try {
    const root = readSingleBerElement(der, { allowTrailingEndOfContents: true });
    const [type, explicit, ...rest] = root.constructed ? berChildren(der, root) : [];
    if (root.tagNumber !== 16 || !type || type.tagNumber !== 6 || !explicit || explicit.tagClass !== 2 || explicit.tagNumber !== 0 || rest.length > 0) {
      throw new BerError('not SEQUENCE { OBJECT IDENTIFIER, [0] content }');
    }
    const [content, ...more] = berChildren(der, explicit);
    if (!content || more.length > 0) throw new BerError('the [0] content must hold exactly one element');
    return { contentType: objectIdentifier(berSlice(der, type)), content: Buffer.from(berSlice(der, content)) };
  } catch (error) {
    if (error instanceof BerError) throw new CrmfInputError('crmf.malformed', `the request is not a CMS ContentInfo: ${error.message}`, { cause: error });
    throw error;
  }
}

function objectIdentifier(der: Buffer): string {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset !== der.length || !(parsed.result instanceof asn1js.ObjectIdentifier)) throw new BerError('malformed content type');
  return parsed.result.getValue();
}

export function expectContentType(found: string, expected: string): void {
  if (found === expected) return;
  const known = found === SM_PKI_INITIAL_REQUEST_OID ? ' (an initial request)' : found === SM_PKI_RENEWAL_REQUEST_OID ? ' (a renewal request)' : '';
  throw new CrmfInputError('crmf.unknown-content-type', `content type ${found}${known}, expected ${expected}`);
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

function requestBytes(input: RequestInput): Buffer {
  const bytes = typeof input === 'string' ? decodeBase64(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length > MAX_REQUEST_BYTES) throw new CrmfInputError('crmf.malformed', `the request has ${bytes.length} bytes, at most ${MAX_REQUEST_BYTES} are accepted`);
  // A SEQUENCE starts with 0x30 ('0'), which base64 of a SEQUENCE never does ('M'): binary is recognisable.
  if (bytes.length > 0 && bytes[0] === 0x30) return bytes;
  return decodeBase64(bytes.toString('latin1'));
}

function decodeBase64(text: string): Buffer {
  const body = text.replace(/-----(BEGIN|END) [^-]+-----/g, '');
  if (!BASE64_TEXT.test(body)) throw new CrmfInputError('crmf.malformed', 'the request is neither DER nor base64 text');
  const decoded = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (decoded.length === 0) throw new CrmfInputError('crmf.malformed', 'the request is empty');
  return decoded;
}
