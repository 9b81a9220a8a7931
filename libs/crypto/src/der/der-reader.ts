/**
 * A strict DER reader that walks an encoding in place, without building a tree: certificates, requests and CRLs
 * of any size are split into their fields by offsets (asn1js caps parsing at 10,000 nodes, far below a large CRL).
 * Every violation of DER that matters for signed data (indefinite or non-minimal lengths, truncation, trailing
 * bytes) is a {@link CryptoInputError} `der.malformed` naming the field.
 */
import { CryptoInputError } from '../crypto-input-error';

/** One element: its identifier octet and where its header and contents are. */
export interface Tlv {
  tag: number;
  /** Offset of the identifier octet. */
  offset: number;
  /** Offset of the first contents octet. */
  valueOffset: number;
  /** Offset just past the contents. */
  end: number;
}

export function malformed(what: string, problem: string): CryptoInputError {
  return new CryptoInputError('der.malformed', `${what}: ${problem}`);
}

/** Reads the element starting at `offset`, which must end at or before `limit`. */
export function readTlv(der: Uint8Array, offset: number, limit: number, what: string): Tlv {
  if (offset >= limit) throw malformed(what, 'missing (the encoding ends here)');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw malformed(what, `tag 0x${tag.toString(16)} uses the high-tag-number form, which this structure does not have`);
  if (offset + 1 >= limit) throw malformed(what, 'truncated (no length octet)');
  const first = der[offset + 1]!;
  let length: number;
  let valueOffset: number;
  if (first < 0x80) {
    length = first;
    valueOffset = offset + 2;
  } else {
    const octets = first & 0x7f;
    if (octets === 0) throw malformed(what, 'indefinite length is not DER');
    if (octets > 4) throw malformed(what, `length of ${octets} octets is out of range`);
    if (offset + 2 + octets > limit) throw malformed(what, 'truncated length');
    if (der[offset + 2] === 0) throw malformed(what, 'length is not minimally encoded');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[offset + 2 + i]!;
    if (length < 0x80) throw malformed(what, 'length is not minimally encoded');
    valueOffset = offset + 2 + octets;
  }
  const end = valueOffset + length;
  if (end > limit) throw malformed(what, `truncated (needs ${end - limit} more bytes)`);
  return { tag, offset, valueOffset, end };
}

/** Reads an element and checks its tag. */
export function expectTlv(der: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(der, offset, limit, what);
  if (tlv.tag !== tag) throw malformed(what, `expected tag 0x${tag.toString(16).padStart(2, '0')}, found 0x${tlv.tag.toString(16).padStart(2, '0')}`);
  return tlv;
}

/** Reads the one element that makes up the whole input (no trailing bytes). */
export function readWhole(der: Uint8Array, tag: number, what: string): Tlv {
  const tlv = expectTlv(der, 0, der.length, tag, what);
  if (tlv.end !== der.length) throw malformed(what, `${der.length - tlv.end} trailing bytes after the encoding`);
  return tlv;
}

/** The elements inside a constructed element, one after another (lazily: large CRLs have millions). */
export function* iterateChildren(der: Uint8Array, parent: Tlv, what: string): Generator<Tlv> {
  let offset = parent.valueOffset;
  while (offset < parent.end) {
    const child = readTlv(der, offset, parent.end, what);
    yield child;
    offset = child.end;
  }
}

/** The elements inside a constructed element, as an array (a plain loop: names and extensions are read per certificate issued). */
export function children(der: Uint8Array, parent: Tlv, what: string): Tlv[] {
  const result: Tlv[] = [];
  for (let offset = parent.valueOffset; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end, what);
    result.push(child);
    offset = child.end;
  }
  return result;
}

/** Reads the elements of a SEQUENCE field by field: optional fields are recognised by their tag. */
export class DerSequenceReader {
  private offset: number;

  constructor(
    private readonly der: Uint8Array,
    private readonly parent: Tlv,
    private readonly what: string,
  ) {
    this.offset = parent.valueOffset;
  }

  /** The next element, which must have `tag`. */
  next(tag: number, field: string): Tlv {
    const tlv = expectTlv(this.der, this.offset, this.parent.end, tag, `${this.what} ${field}`);
    this.offset = tlv.end;
    return tlv;
  }

  /** The next element whatever its tag (a CHOICE or ANY). */
  nextAny(field: string): Tlv {
    const tlv = readTlv(this.der, this.offset, this.parent.end, `${this.what} ${field}`);
    this.offset = tlv.end;
    return tlv;
  }

  /** The next element if it has `tag`, else undefined (and nothing is consumed). */
  optional(tag: number, field: string): Tlv | undefined {
    if (this.offset >= this.parent.end || this.der[this.offset] !== tag) return undefined;
    return this.next(tag, field);
  }

  hasMore(): boolean {
    return this.offset < this.parent.end;
  }

  /** Fails unless every element was read. */
  end(): void {
    if (this.offset !== this.parent.end) {
      const extra = readTlv(this.der, this.offset, this.parent.end, this.what);
      throw malformed(this.what, `unexpected element with tag 0x${extra.tag.toString(16).padStart(2, '0')}`);
    }
  }
}

/** The contents octets of an element (a view, no copy). */
export function contentsOf(der: Buffer, tlv: Tlv): Buffer {
  return der.subarray(tlv.valueOffset, tlv.end);
}

/** The whole encoding of an element, header included (a view, no copy). */
export function encodingOf(der: Buffer, tlv: Tlv): Buffer {
  return der.subarray(tlv.offset, tlv.end);
}

/** A Buffer view of any byte array, without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
