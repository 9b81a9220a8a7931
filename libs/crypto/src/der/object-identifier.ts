/** OBJECT IDENTIFIER contents <-> dotted string. Encodings are cached: a CA writes the same few OIDs millions of times. */
import { malformed } from './der-reader';

const ENCODED = new Map<string, Buffer>();
/** Decoded OIDs by a hash of their contents, each with a copy of the contents to confirm the hit. */
const DECODED = new Map<number, { contents: Buffer; oid: string }>();
const CACHE_LIMIT = 4096;

/** The contents octets of an OID (no tag or length). Throws TypeError for a string that is not an OID. */
export function encodeOidContents(oid: string): Buffer {
  const cached = ENCODED.get(oid);
  if (cached) return cached;
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(oid)) throw new TypeError(`'${oid}' is not a dotted object identifier`);
  const arcs = oid.split('.').map((arc) => BigInt(arc));
  const [first, second] = [arcs[0]!, arcs[1]!];
  if (first < 2n && second > 39n) throw new TypeError(`'${oid}': the second arc must be below 40 under arc ${first}`);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...arcs.slice(2)]) bytes.push(...base128(arc));
  const encoded = Buffer.from(bytes);
  if (ENCODED.size < CACHE_LIMIT) ENCODED.set(oid, encoded);
  return encoded;
}

function base128(value: bigint): number[] {
  const groups = [Number(value & 0x7fn)];
  for (let rest = value >> 7n; rest > 0n; rest >>= 7n) groups.unshift(Number(rest & 0x7fn) | 0x80);
  return groups;
}

/** `2.5.29.n`, the arc of every X.509 extension, without building a cache key. */
const ID_CE = Array.from({ length: 128 }, (_, arc) => `2.5.29.${arc}`);

/** The dotted string of OID contents; strict (no 0x80 padding octets, no truncated arc). */
export function decodeOidContents(contents: Uint8Array, what = 'object identifier'): string {
  if (contents.length === 3 && contents[0] === 0x55 && contents[1] === 0x1d && contents[2]! < 0x80) return ID_CE[contents[2]!]!;
  // Keyed by a number, not a string of the octets: building that string was the larger part of a cache hit, and
  // the pre-issuance check decodes a dozen OIDs per certificate.
  const key = contentsHash(contents);
  const cached = DECODED.get(key);
  if (cached !== undefined && sameOctets(cached.contents, contents)) return cached.oid;
  if (contents.length === 0) throw malformed(what, 'empty object identifier');
  const arcs: bigint[] = [];
  let value = 0n;
  let started = false;
  for (const byte of contents) {
    if (!started && byte === 0x80) throw malformed(what, 'object identifier arc has a leading 0x80 octet');
    started = true;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
      started = false;
    }
  }
  if (started) throw malformed(what, 'object identifier ends inside an arc');
  const firstArc = arcs[0]!;
  const head = firstArc < 80n ? [firstArc / 40n, firstArc % 40n] : [2n, firstArc - 80n];
  const oid = [...head, ...arcs.slice(1)].join('.');
  if (DECODED.size < CACHE_LIMIT && cached === undefined) DECODED.set(key, { contents: Buffer.from(contents), oid });
  return oid;
}

function contentsHash(contents: Uint8Array): number {
  let hash = contents.length;
  for (let i = 0; i < contents.length; i++) hash = (Math.imul(hash, 31) + contents[i]!) | 0;
  return hash;
}

function sameOctets(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
