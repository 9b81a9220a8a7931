/**
 * Lets @peculiar/x509's generators sign with a key-manager {@link Signer} (a key in the HSM): a WebCrypto-shaped
 * `crypto` whose `subtle.sign` calls the signer for r||s, and a CryptoKey-shaped handle naming the curve. Node's
 * own WebCrypto cannot do this for brainpool ("Unrecognized namedCurve"). Pair it with
 * {@link fixPeculiarBrainpoolSignatureSizes} for brainpoolP384r1/P512r1.
 */
import { webcrypto } from 'node:crypto';
import type { HashAlgorithm, Signer } from '@smpki/hsm';
import { HASH_ALGORITHMS } from '../hash-algorithm';

export interface PeculiarSigningKey {
  /** Pass as the generators' `crypto` argument. */
  crypto: webcrypto.Crypto;
  /** Pass as `signingKey`. */
  signingKey: webcrypto.CryptoKey;
  /** The signer's SPKI DER (usable as `publicKey`). */
  publicKey: ArrayBuffer;
}

function hashOf(algorithm: unknown): HashAlgorithm | undefined {
  const hash = (algorithm as { hash?: string | { name?: string } } | undefined)?.hash;
  const name = typeof hash === 'string' ? hash : hash?.name;
  return HASH_ALGORITHMS.find((candidate) => candidate === name?.toUpperCase());
}

function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function peculiarSigningKey(signer: Signer): PeculiarSigningKey {
  const signingKey = {
    algorithm: { name: 'ECDSA', namedCurve: signer.curve },
    type: 'private',
    extractable: false,
    usages: ['sign'],
  } as unknown as webcrypto.CryptoKey;
  const subtle = {
    async sign(algorithm: unknown, key: unknown, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
      if (key !== signingKey) throw new Error('this crypto provider signs only with its own signer');
      const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
      return arrayBufferOf(await signer.sign(bytes, { hash: hashOf(algorithm), format: 'raw' }));
    },
  };
  const crypto = {
    subtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => webcrypto.getRandomValues(array as never) as T,
    randomUUID: () => webcrypto.randomUUID(),
  } as unknown as webcrypto.Crypto;
  return { crypto, signingKey, publicKey: arrayBufferOf(signer.publicKey.spki) };
}
