import type { AuditTrail } from '@smpki/audit';
import type {
  AesKeyBits,
  CbcSegment,
  CreateAesKeyOptions,
  Curve,
  EcPublicKey,
  GcmResult,
  HashAlgorithm,
  KeyAgreement,
  KeyBlockResult,
  KeyInfo,
  KeyedAad,
  KeyInput,
  KeyManager,
  KeyManagerHealth,
  Signer,
  WrappedKey,
} from '@smpki/hsm';

/**
 * A key manager that records every change to the key store in the audit trail: key created, imported (unwrapped),
 * destroyed. Failures are recorded too, so an attempt to destroy someone else's key leaves a trace. Operations that
 * only use keys (sign, wrap, MAC) are audited by the business operation that calls them, where the context is known.
 */
export class AuditedKeyManager implements KeyManager {
  constructor(
    private readonly keys: KeyManager,
    private readonly audit: AuditTrail,
  ) {}

  createEcKeyPair(uri: string, curve: Curve, options?: { usages?: Array<'sign' | 'derive'> }): Promise<EcPublicKey> {
    return this.recorded('hsm.key.create', uri, { kind: 'ec', curve }, () => this.keys.createEcKeyPair(uri, curve, options));
  }

  createAesKey(uri: string, options: CreateAesKeyOptions): Promise<KeyInfo> {
    const details = { kind: 'aes', bits: options.bits, usages: options.usages, wrappable: options.wrappable ?? false };
    return this.recorded('hsm.key.create', uri, details, () => this.keys.createAesKey(uri, options));
  }

  importAesKey(uri: string, value: Uint8Array, options: CreateAesKeyOptions): Promise<KeyInfo> {
    const details = { kind: 'aes', bits: options.bits, usages: options.usages, wrappable: options.wrappable ?? false, source: 'value' };
    return this.recorded('hsm.key.import', uri, details, () => this.keys.importAesKey(uri, value, options));
  }

  wrapKeyUnder(kek: KeyInput, key: KeyInput): Promise<Buffer> {
    return this.keys.wrapKeyUnder(kek, key);
  }

  deriveAesKeysByCmac(base: KeyInput, blocks: Uint8Array[], wrappingKeyUri: string): Promise<WrappedKey[]> {
    return this.keys.deriveAesKeysByCmac(base, blocks, wrappingKeyUri);
  }

  aesGcmEncryptWithKeyedAad(key: KeyInput, iv: Uint8Array, aad: KeyedAad, plaintext: Uint8Array, tagBytes?: number): Promise<GcmResult> {
    return this.keys.aesGcmEncryptWithKeyedAad(key, iv, aad, plaintext, tagBytes);
  }

  aesGcmDecryptWithKeyedAad(key: KeyInput, iv: Uint8Array, aad: KeyedAad, ciphertext: Uint8Array, tag: Uint8Array): Promise<Buffer> {
    return this.keys.aesGcmDecryptWithKeyedAad(key, iv, aad, ciphertext, tag);
  }

  unwrapKey(wrapped: WrappedKey, targetUri: string, options: CreateAesKeyOptions): Promise<KeyInfo> {
    const details = { kind: 'aes', bits: options.bits, wrappingKey: wrapped.wrappingKeyUri };
    return this.recorded('hsm.key.import', targetUri, details, () => this.keys.unwrapKey(wrapped, targetUri, options));
  }

  async destroyKey(uri: string): Promise<number> {
    return this.recorded('hsm.key.destroy', uri, {}, () => this.keys.destroyKey(uri));
  }

  getPublicKey(uri: string): Promise<EcPublicKey> {
    return this.keys.getPublicKey(uri);
  }
  createSigner(uri: string): Promise<Signer> {
    return this.keys.createSigner(uri);
  }
  verify(spki: Buffer, data: Uint8Array, signature: Buffer, hash?: HashAlgorithm): Promise<boolean> {
    return this.keys.verify(spki, data, signature, hash);
  }
  deriveSharedSecret(privateKeyUri: string, peerPoint: Buffer): Promise<Buffer> {
    return this.keys.deriveSharedSecret(privateKeyUri, peerPoint);
  }
  unwrapWithKeyAgreement(privateKeyUri: string, ephemeralPoint: Buffer, agreement: KeyAgreement, wrapped: Buffer, wrappingKeyUri: string): Promise<WrappedKey> {
    return this.keys.unwrapWithKeyAgreement(privateKeyUri, ephemeralPoint, agreement, wrapped, wrappingKeyUri);
  }
  wrapWithKeyAgreement(key: KeyInput, curve: Curve, recipientPoint: Buffer, agreement: KeyAgreement): Promise<{ ephemeralPoint: Buffer; wrapped: Buffer }> {
    return this.keys.wrapWithKeyAgreement(key, curve, recipientPoint, agreement);
  }
  aesCbcDecryptKeyBlocks(key: KeyInput, iv: Uint8Array, ciphertext: Uint8Array, keyBlocks: readonly number[], wrappingKeyUri: string): Promise<{ plaintext: Buffer; keys: KeyBlockResult[] }> {
    return this.keys.aesCbcDecryptKeyBlocks(key, iv, ciphertext, keyBlocks, wrappingKeyUri);
  }
  aesCbcEncryptKeyBlocks(key: KeyInput, iv: Uint8Array, segments: readonly CbcSegment[]): Promise<Buffer> {
    return this.keys.aesCbcEncryptKeyBlocks(key, iv, segments);
  }
  generateWrappedAesKey(wrappingKeyUri: string, bits: AesKeyBits): Promise<WrappedKey> {
    return this.keys.generateWrappedAesKey(wrappingKeyUri, bits);
  }
  wrapKey(wrappingKeyUri: string, keyUri: string): Promise<Buffer> {
    return this.keys.wrapKey(wrappingKeyUri, keyUri);
  }
  rewrapKey(wrapped: WrappedKey, newWrappingKeyUri: string): Promise<WrappedKey> {
    return this.keys.rewrapKey(wrapped, newWrappingKeyUri);
  }
  aesCmac(key: KeyInput, data: Uint8Array): Promise<Buffer> {
    return this.keys.aesCmac(key, data);
  }
  aesGcmEncrypt(key: KeyInput, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagBytes?: number): Promise<GcmResult> {
    return this.keys.aesGcmEncrypt(key, iv, aad, plaintext, tagBytes);
  }
  aesGcmDecrypt(key: KeyInput, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Promise<Buffer> {
    return this.keys.aesGcmDecrypt(key, iv, aad, ciphertext, tag);
  }
  aesCbcEncrypt(key: KeyInput, iv: Uint8Array, plaintext: Uint8Array): Promise<Buffer> {
    return this.keys.aesCbcEncrypt(key, iv, plaintext);
  }
  aesCbcDecrypt(key: KeyInput, iv: Uint8Array, ciphertext: Uint8Array): Promise<Buffer> {
    return this.keys.aesCbcDecrypt(key, iv, ciphertext);
  }
  aesEcbEncryptBlock(key: KeyInput, block: Uint8Array): Promise<Buffer> {
    return this.keys.aesEcbEncryptBlock(key, block);
  }
  findKey(uri: string): Promise<KeyInfo | undefined> {
    return this.keys.findKey(uri);
  }
  listKeys(filter?: { kind?: KeyInfo['kind'] }): Promise<KeyInfo[]> {
    return this.keys.listKeys(filter);
  }
  health(): Promise<KeyManagerHealth> {
    return this.keys.health();
  }
  close(): Promise<void> {
    return this.keys.close();
  }

  private async recorded<T>(action: string, uri: string, details: Record<string, unknown>, operation: () => Promise<T>): Promise<T> {
    try {
      const result = await operation();
      await this.audit.append({ action, outcome: 'success', target: uri, details });
      return result;
    } catch (error) {
      await this.audit.append({ action, outcome: 'failure', target: uri, details: { ...details, error: (error as Error).message } });
      throw error;
    }
  }
}
