/**
 * The signature algorithms smpki signs and accepts: ECDSA with SHA-256/384/512 (RFC 5758; the AlgorithmIdentifier
 * has no parameters). By default the hash follows the issuer's curve: brainpoolP384r1 -> SHA-384,
 * brainpoolP512r1 -> SHA-512, brainpoolP256r1 and P-256 -> SHA-256, P-384 -> SHA-384.
 */
import type { Curve, HashAlgorithm } from '@smpki/hsm';
import { CryptoInputError } from './crypto-input-error';
import { ecCurve } from './curves';
import { asBuffer, DerSequenceReader, readWhole } from './der/der-reader';
import { DerTag } from './der/der-tags';
import { derOid, derSequence } from './der/der-writer';
import { decodeOidContents } from './der/object-identifier';
import { SignatureAlgorithmOids } from './oids';

export type SignatureAlgorithmName = 'ecdsa-with-SHA256' | 'ecdsa-with-SHA384' | 'ecdsa-with-SHA512';

export interface SignatureAlgorithm {
  name: SignatureAlgorithmName;
  oid: string;
  hash: HashAlgorithm;
  /** DER AlgorithmIdentifier (SEQUENCE { oid }), as it appears in certificates, CRLs and requests. */
  der: Buffer;
}

function algorithm(name: SignatureAlgorithmName, oid: string, hash: HashAlgorithm): SignatureAlgorithm {
  return { name, oid, hash, der: derSequence(derOid(oid)) };
}

const ALGORITHMS: readonly SignatureAlgorithm[] = [
  algorithm('ecdsa-with-SHA256', SignatureAlgorithmOids.ecdsaWithSha256, 'SHA-256'),
  algorithm('ecdsa-with-SHA384', SignatureAlgorithmOids.ecdsaWithSha384, 'SHA-384'),
  algorithm('ecdsa-with-SHA512', SignatureAlgorithmOids.ecdsaWithSha512, 'SHA-512'),
];

export function ecdsaSignatureAlgorithm(hash: HashAlgorithm): SignatureAlgorithm {
  const found = ALGORITHMS.find((candidate) => candidate.hash === hash);
  if (!found) throw new TypeError(`no ECDSA signature algorithm with hash '${String(hash)}'`);
  return found;
}

/** The algorithm an issuer key on `curve` signs with: the curve's hash unless `hash` overrides it. */
export function signatureAlgorithmForCurve(curve: Curve, hash?: HashAlgorithm): SignatureAlgorithm {
  return ecdsaSignatureAlgorithm(hash ?? ecCurve(curve).defaultHash);
}

const REFUSED: Readonly<Record<string, string>> = {
  [SignatureAlgorithmOids.ecdsaWithSha1]: 'ecdsa-with-SHA1',
  [SignatureAlgorithmOids.sha256WithRsaEncryption]: 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.3.101.112': 'Ed25519',
};

/** The algorithm of a DER AlgorithmIdentifier; anything but ECDSA-SHA2 without parameters is refused. */
export function parseSignatureAlgorithm(der: Uint8Array, what = 'signature algorithm'): SignatureAlgorithm {
  const bytes = asBuffer(der);
  const sequence = readWhole(bytes, DerTag.SEQUENCE, what);
  const reader = new DerSequenceReader(bytes, sequence, what);
  const oidTlv = reader.next(DerTag.OBJECT_IDENTIFIER, 'algorithm');
  const oid = decodeOidContents(bytes.subarray(oidTlv.valueOffset, oidTlv.end), what);
  const found = ALGORITHMS.find((candidate) => candidate.oid === oid);
  if (!found) {
    const known = REFUSED[oid];
    throw new CryptoInputError('signature.algorithm-not-allowed', `${what} ${known ? `${known} (${oid})` : oid} is not allowed (only ECDSA with SHA-256, SHA-384 or SHA-512)`);
  }
  if (reader.hasMore()) throw new CryptoInputError('signature.algorithm-not-allowed', `${what} ${found.name} must have no parameters (RFC 5758)`);
  return found;
}
