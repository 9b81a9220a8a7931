/**
 * A minimal BER tag-length-value reader. The schema parser (@peculiar/asn1-schema) gives structure but not the
 * exact bytes a signature covers, and it reads a constructed OCTET STRING (BER, as real SM-PKI clients send the
 * renewal's eContent) as empty. Signatures must be checked over the bytes that were signed, so those spots are
 * located here: certReq inside a CertReqMsg, signedAttrs inside a SignerInfo, the eContent octets.
 *
 * Throws a plain {@link BerError}; callers turn it into their own refusal (`crmf.malformed`, `cms.malformed`).
 */

export class BerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BerError';
  }
}

export interface BerElement {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly tagClass: number;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  readonly contentStart: number;
  /** End of the content (before the end-of-contents octets of an indefinite-length element). */
  readonly contentEnd: number;
  /** Offset just after the element. */
  readonly end: number;
  readonly indefinite: boolean;
}

/** Nesting this deep is never legitimate in a request; the limit keeps hostile input from exhausting the stack. */
const MAX_DEPTH = 64;

export function readBerElement(bytes: Uint8Array, offset = 0, limit = bytes.length, depth = 0): BerElement {
  if (depth > MAX_DEPTH) throw new BerError(`nesting deeper than ${MAX_DEPTH} levels`);
  let position = offset;
  const next = (): number => {
    if (position >= limit) throw new BerError(`truncated at offset ${position}`);
    return bytes[position++]!;
  };
  const identifier = next();
  const tagClass = identifier >> 6;
  const constructed = (identifier & 0x20) !== 0;
  let tagNumber = identifier & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let octet = next(), count = 0; ; octet = next(), count++) {
      if (count >= 4) throw new BerError(`tag number too large at offset ${offset}`);
      tagNumber = tagNumber * 128 + (octet & 0x7f);
      if ((octet & 0x80) === 0) break;
    }
  }
  const first = next();
  if (first === 0x80) {
    if (!constructed) throw new BerError(`indefinite length on a primitive element at offset ${offset}`);
    const contentStart = position;
    let cursor = contentStart;
    for (;;) {
      if (cursor + 2 <= limit && bytes[cursor] === 0 && bytes[cursor + 1] === 0) {
        return { tagClass, constructed, tagNumber, start: offset, contentStart, contentEnd: cursor, end: cursor + 2, indefinite: true };
      }
      cursor = readBerElement(bytes, cursor, limit, depth + 1).end;
    }
  }
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw new BerError(`length field of ${count} octets at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + next();
  }
  const contentStart = position;
  const end = contentStart + length;
  if (end > limit) throw new BerError(`element at offset ${offset} claims ${length} bytes, only ${limit - contentStart} remain`);
  return { tagClass, constructed, tagNumber, start: offset, contentStart, contentEnd: end, end, indefinite: false };
}

/**
 * Reads `bytes` as exactly one element: trailing bytes are refused (they would be unsigned, unchecked input).
 * `allowTrailingEndOfContents` tolerates stray end-of-contents octets (00 00) after an indefinite-length element:
 * a real SM-PKI client writes one more than it opened (testdata/sm-pki-real/init.crmf).
 */
export function readSingleBerElement(bytes: Uint8Array, options: { allowTrailingEndOfContents?: boolean } = {}): BerElement {
  const element = readBerElement(bytes);
  const trailing = bytes.subarray(element.end);
  const tolerated = options.allowTrailingEndOfContents && element.indefinite && trailing.length % 2 === 0 && trailing.every((octet) => octet === 0);
  if (trailing.length > 0 && !tolerated) throw new BerError(`${trailing.length} trailing bytes after the element`);
  return element;
}

export function berChildren(bytes: Uint8Array, element: BerElement): BerElement[] {
  if (!element.constructed) throw new BerError(`element at offset ${element.start} is not constructed`);
  const children: BerElement[] = [];
  for (let cursor = element.contentStart; cursor < element.contentEnd; ) {
    const child = readBerElement(bytes, cursor, element.contentEnd);
    children.push(child);
    cursor = child.end;
  }
  return children;
}

/** The whole encoding of an element (identifier, length, content). */
export function berSlice(bytes: Uint8Array, element: BerElement): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset + element.start, element.end - element.start);
}

/** The value of an OCTET STRING, primitive or constructed from segments (BER), as one buffer. */
export function berOctetStringValue(bytes: Uint8Array, element: BerElement): Buffer {
  if (element.tagClass === 0 && element.tagNumber !== 4) throw new BerError(`expected an OCTET STRING at offset ${element.start}`);
  if (!element.constructed) {
    return Buffer.from(bytes.buffer, bytes.byteOffset + element.contentStart, element.contentEnd - element.contentStart);
  }
  return Buffer.concat(berChildren(bytes, element).map((segment) => berOctetStringValue(bytes, segment)));
}
