/**
 * Test only: a {@link Signer} over an EC key held in this process (brainpool or NIST curves), for unit tests of code
 * that signs through the key-manager contract (audit checkpoints). Integration tests use the SoftHSM-backed signer.
 *
 * It keeps the HSM signer's contract: `sign` hashes in software (default hash after the curve size) and signs the
 * digest; signatures come out DER (ECDSA-Sig-Value) or raw r||s. Node signs only messages, never a precomputed
 * digest, so `signDigest` does the ECDSA step itself: k·G is node:crypto's ECDH public key of the scalar k, the rest
 * is modular arithmetic. Not constant time: fine for tests, never for production keys.
 */
import { createECDH, createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Curve, EcPublicKey, HashAlgorithm, SignatureFormat, Signer } from '../../libs/hsm/src/key-manager';

interface CurveParameters {
  openssl: string;
  /** Order of the base point. */
  n: bigint;
  /** Field and scalar size in bytes. */
  size: number;
  hash: HashAlgorithm;
}

const CURVES: Record<Curve, CurveParameters> = {
  brainpoolP256r1: {
    openssl: 'brainpoolP256r1',
    n: 0xa9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7n,
    size: 32,
    hash: 'SHA-256',
  },
  brainpoolP384r1: {
    openssl: 'brainpoolP384r1',
    n: 0x8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7cf3ab6af6b7fc3103b883202e9046565n,
    size: 48,
    hash: 'SHA-384',
  },
  brainpoolP512r1: {
    openssl: 'brainpoolP512r1',
    n: 0xaadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069n,
    size: 64,
    hash: 'SHA-512',
  },
  'P-256': {
    openssl: 'prime256v1',
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    size: 32,
    hash: 'SHA-256',
  },
  'P-384': {
    openssl: 'secp384r1',
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    size: 48,
    hash: 'SHA-384',
  },
};

export class SoftwareSigner implements Signer {
  readonly publicKey: EcPublicKey;
  private readonly params: CurveParameters;
  private readonly d: bigint;

  private constructor(
    privateKey: KeyObject,
    readonly curve: Curve,
    readonly keyUri: string,
  ) {
    this.params = CURVES[curve];
    this.d = privateScalar(privateKey);
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    const ecdh = createECDH(this.params.openssl);
    ecdh.setPrivateKey(toBuffer(this.d, this.params.size));
    this.publicKey = { keyUri, curve, spki, point: ecdh.getPublicKey() };
  }

  static generate(curve: Curve = 'brainpoolP256r1', keyUri = 'pkcs11:token=software;object=test-signer'): SoftwareSigner {
    return new SoftwareSigner(generateKeyPairSync('ec', { namedCurve: CURVES[curve].openssl }).privateKey, curve, keyUri);
  }

  async sign(data: Uint8Array, options: { hash?: HashAlgorithm; format?: SignatureFormat } = {}): Promise<Buffer> {
    return this.signDigest(createHash(options.hash ?? this.params.hash).update(data).digest(), { format: options.format });
  }

  async signDigest(digest: Uint8Array, options: { format?: SignatureFormat } = {}): Promise<Buffer> {
    const { n, size, openssl } = this.params;
    // The leftmost bits of the digest, as many as the order has (every supported order is a whole number of bytes).
    const e = toBigInt(Buffer.from(digest).subarray(0, size)) % n;
    for (;;) {
      const k = toBigInt(randomBytes(size)) % n;
      if (k === 0n) continue;
      const ecdh = createECDH(openssl);
      ecdh.setPrivateKey(toBuffer(k, size));
      const r = toBigInt(ecdh.getPublicKey().subarray(1, 1 + size)) % n;
      const s = (modInverse(k, n) * (e + r * this.d)) % n;
      if (r === 0n || s === 0n) continue;
      return options.format === 'raw' ? Buffer.concat([toBuffer(r, size), toBuffer(s, size)]) : derSignature(r, s);
    }
  }
}

/** The private scalar from the SEC1 ECPrivateKey encoding (JWK export refuses brainpool curves). */
function privateScalar(privateKey: KeyObject): bigint {
  const der = privateKey.export({ format: 'der', type: 'sec1' });
  // SEQUENCE (short or long length) { INTEGER 1, OCTET STRING privateKey, ... }
  let offset = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
  if (der[offset] !== 0x02 || der[offset + 1] !== 0x01 || der[offset + 2] !== 0x01) throw new Error('unexpected SEC1 encoding');
  offset += 3;
  if (der[offset] !== 0x04) throw new Error('unexpected SEC1 encoding');
  return toBigInt(der.subarray(offset + 2, offset + 2 + der[offset + 1]));
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

function toBuffer(value: bigint, size: number): Buffer {
  return Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
}

function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  return ((oldS % modulus) + modulus) % modulus;
}

function derSignature(r: bigint, s: bigint): Buffer {
  const integer = (value: bigint) => {
    let bytes = Buffer.from(value.toString(16).padStart(2, '0').replace(/^(.(..)*)$/, '0$1'), 'hex');
    if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
    return Buffer.concat([Buffer.of(0x02, bytes.length), bytes]);
  };
  const body = Buffer.concat([integer(r), integer(s)]);
  const length = body.length < 0x80 ? Buffer.of(body.length) : Buffer.of(0x81, body.length);
  return Buffer.concat([Buffer.of(0x30), length, body]);
}
