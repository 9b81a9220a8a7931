/**
 * Test only: a {@link Signer} over a P-256 key held in this process, so the auth tests run without a token. It keeps
 * the HSM signer's contract: `sign` hashes in software and signs the digest, as CKM_ECDSA does; signatures come out
 * raw (r||s, JOSE) or DER. The same tests run with a SoftHSM-backed signer.
 *
 * Node signs only messages, never a precomputed digest, so `signDigest` does the ECDSA step itself: k·G comes from
 * node:crypto's ECDH (the public key of the private scalar k), the rest is modular arithmetic. Not constant time:
 * fine for tests, never for production keys.
 */
import { createECDH, createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { EcPublicKey, HashAlgorithm, SignatureFormat, Signer } from '../../libs/hsm/src/key-manager';

/** Order of the P-256 base point. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const SIZE = 32;

export class SoftwareP256Signer implements Signer {
  readonly curve = 'P-256' as const;
  readonly publicKey: EcPublicKey;
  private readonly d: bigint;

  private constructor(
    privateKey: KeyObject,
    readonly keyUri: string,
  ) {
    const jwk = privateKey.export({ format: 'jwk' });
    this.d = toBigInt(Buffer.from(jwk.d!, 'base64url'));
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = { keyUri, curve: 'P-256', spki, point };
  }

  static generate(keyUri = 'pkcs11:token=software;object=test-token-signer'): SoftwareP256Signer {
    return new SoftwareP256Signer(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, keyUri);
  }

  async sign(data: Uint8Array, options: { hash?: HashAlgorithm; format?: SignatureFormat } = {}): Promise<Buffer> {
    return this.signDigest(createHash(options.hash ?? 'SHA-256').update(data).digest(), { format: options.format });
  }

  async signDigest(digest: Uint8Array, options: { format?: SignatureFormat } = {}): Promise<Buffer> {
    const e = toBigInt(Buffer.from(digest).subarray(0, SIZE)) % N;
    for (;;) {
      const k = toBigInt(randomBytes(SIZE)) % N;
      if (k === 0n) continue;
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(toBuffer(k));
      const r = toBigInt(ecdh.getPublicKey().subarray(1, 1 + SIZE)) % N;
      const s = (modInverse(k) * (e + r * this.d)) % N;
      if (r === 0n || s === 0n) continue;
      return options.format === 'raw' ? Buffer.concat([toBuffer(r), toBuffer(s)]) : derSignature(r, s);
    }
  }
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

function toBuffer(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(SIZE * 2, '0'), 'hex');
}

function modInverse(value: bigint): bigint {
  // Fermat: N is prime.
  let result = 1n;
  let base = value % N;
  for (let exponent = N - 2n; exponent > 0n; exponent >>= 1n) {
    if (exponent & 1n) result = (result * base) % N;
    base = (base * base) % N;
  }
  return result;
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (both below 2^256, so short-form lengths suffice). */
function derSignature(r: bigint, s: bigint): Buffer {
  const integer = (value: bigint): Buffer => {
    let bytes = toBuffer(value);
    while (bytes.length > 1 && bytes[0] === 0 && bytes[1]! < 0x80) bytes = bytes.subarray(1);
    if (bytes[0]! >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
