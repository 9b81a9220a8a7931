/** A Signer bound to one private key in the token (e.g. a CA key, for @peculiar/x509 or the audit checkpoints). */
import type { Curve, EcPublicKey, HashAlgorithm, SignatureFormat, Signer } from '../key-manager';
import { HsmError } from '../hsm-error';
import type { KeyRef } from './worker-protocol';
import type { WorkerPool } from './worker-pool';

const DIGEST_BYTES: Record<number, true> = { 20: true, 28: true, 32: true, 48: true, 64: true };

export class Pkcs11Signer implements Signer {
  readonly keyUri: string;
  readonly curve: Curve;
  readonly publicKey: EcPublicKey;
  private readonly key: KeyRef;
  private readonly pool: WorkerPool;

  constructor(pool: WorkerPool, key: KeyRef, publicKey: EcPublicKey) {
    this.pool = pool;
    this.key = key;
    this.publicKey = publicKey;
    this.keyUri = publicKey.keyUri;
    this.curve = publicKey.curve;
  }

  sign(data: Uint8Array, options: { hash?: HashAlgorithm; format?: SignatureFormat } = {}): Promise<Buffer> {
    const call = { op: 'sign' as const, key: this.key, curve: this.curve, format: options.format ?? 'der', data, ...(options.hash && { hash: options.hash }) };
    return this.pool.submit<Uint8Array>(call, `signing with ${this.keyUri}`).then(toBuffer);
  }

  signDigest(digest: Uint8Array, options: { format?: SignatureFormat } = {}): Promise<Buffer> {
    if (!DIGEST_BYTES[digest.length]) {
      return Promise.reject(new HsmError('invalid-input', `a digest to sign has 20, 28, 32, 48 or 64 bytes (got ${digest.length})`));
    }
    const call = { op: 'sign' as const, key: this.key, curve: this.curve, format: options.format ?? 'der', digest };
    return this.pool.submit<Uint8Array>(call, `signing with ${this.keyUri}`).then(toBuffer);
  }
}

/** Byte arrays come back from the workers as Uint8Array: present them as Buffers over the same memory. */
export function toBuffer(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
