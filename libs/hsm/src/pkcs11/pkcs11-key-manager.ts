/**
 * The PKCS#11 backend of the KeyManager contract (the kms/pkcs11 of smallstep/crypto, for Node): keys named by
 * RFC 7512 URIs, every module call in a pool of worker threads with their own sessions, the module's mechanisms
 * checked at open().
 */
import type {
  AesKeyBits,
  CreateAesKeyOptions,
  Curve,
  EcPublicKey,
  GcmResult,
  HashAlgorithm,
  CbcSegment,
  KeyAgreement,
  KeyBlockResult,
  KeyInfo,
  KeyedAad,
  KeyInput,
  KeyManager,
  KeyManagerHealth,
  Signer,
  WrappedKey,
} from '../key-manager';
import { HsmError } from '../hsm-error';
import { silentHsmLogger, type HsmConfig, type HsmLogger } from '../hsm-config';
import { parsePkcs11Uri } from '../pkcs11-uri';
import { checkHsmConfig } from './config-check';
import { debugHooksEnabled } from './debug-hooks';
import {
  checkAesBits,
  checkAesOptions,
  checkBlock,
  checkCbc,
  checkCurve,
  checkEcUsages,
  checkGcm,
  checkKeyValue,
  checkPeerPoint,
  checkWrappedLength,
} from './input-checks';
import { DEFAULT_REQUIRED_MECHANISMS, mechanismCode, mechanismName } from './mechanisms';
import { Pkcs11Signer, toBuffer } from './pkcs11-signer';
import { verifyEcdsa } from './software-verify';
import { WorkerPool, type HsmPoolStats } from './worker-pool';
import { AES_MODE_NAMES, type AesMode, type KeyedAadRef, type KeyInputRef, type KeyRef, type ProbeResult, type WorkerCall } from './worker-protocol';

/** What open() found out about the module. */
export interface HsmCapabilities {
  modulePath: string;
  libraryDescription: string;
  tokenModel: string;
  tokenSerial: string;
  /** Names of every mechanism the token offers. */
  mechanisms: string[];
  /** ECDH with the SHA-256 X9.63 KDF inside the token. false on SoftHSM: the shared secret leaves for the KDF. */
  ecdhKdfInToken: boolean;
  /** CKM_ECDSA_SHA256 etc. (hash inside the token); smpki hashes in software either way. */
  ecdsaWithHashInToken: boolean;
  /** CKM_AES_KEY_WRAP_PAD listed (SoftHSM's is wrong for lengths not a multiple of 8). */
  aesKeyWrapPad: boolean;
  workers: number;
}

const DEFAULT_PIPELINE_DEPTH = 32;

function capabilitiesOf(config: HsmConfig, probe: ProbeResult): HsmCapabilities {
  const names = probe.mechanisms.map(mechanismName);
  return {
    modulePath: config.modulePath,
    libraryDescription: probe.libraryDescription,
    tokenModel: probe.tokenModel,
    tokenSerial: probe.tokenSerial,
    mechanisms: names,
    ecdhKdfInToken: probe.ecdhKdfInToken,
    ecdsaWithHashInToken: names.includes('CKM_ECDSA_SHA256'),
    aesKeyWrapPad: names.includes('CKM_AES_KEY_WRAP_PAD'),
    workers: config.workers,
  };
}

export class Pkcs11KeyManager implements KeyManager {
  readonly capabilities: HsmCapabilities;
  private readonly pool: WorkerPool;
  private readonly tokenLabel: string;

  private constructor(pool: WorkerPool, tokenLabel: string, capabilities: HsmCapabilities) {
    this.pool = pool;
    this.tokenLabel = tokenLabel;
    this.capabilities = capabilities;
  }

  /**
   * Starts the workers, logs in, and checks the module offers every required mechanism; refuses the module
   * (HsmError 'mechanism-missing', naming the mechanisms and the module) if not.
   */
  static async open(config: HsmConfig, logger: HsmLogger = silentHsmLogger): Promise<Pkcs11KeyManager> {
    checkHsmConfig(config);
    const required = (config.requiredMechanisms ?? DEFAULT_REQUIRED_MECHANISMS).map((name) => ({ name, code: mechanismCode(name) }));
    const { pool, probe } = await WorkerPool.start({
      modulePath: config.modulePath,
      tokenLabel: config.tokenLabel,
      pin: config.pin,
      moduleEnvironment: config.moduleEnvironment ?? {},
      workers: config.workers,
      callTimeoutMs: config.callTimeoutMs,
      pipelineDepth: config.pipelineDepth ?? DEFAULT_PIPELINE_DEPTH,
      sessionKeyCopies: config.sessionKeyCopies ?? true,
      debugHooks: debugHooksEnabled(),
      logger,
    });
    const missing = required.filter((mechanism) => !probe.mechanisms.includes(mechanism.code)).map((mechanism) => mechanism.name);
    if (missing.length > 0) {
      await pool.close();
      throw new HsmError(
        'mechanism-missing',
        `PKCS#11 module ${config.modulePath} (${probe.libraryDescription}, token '${config.tokenLabel}') lacks ${missing.join(', ')}`,
      );
    }
    await pool.grow();
    const capabilities = capabilitiesOf(config, probe);
    logger.info('HSM key manager opened', {
      module: config.modulePath,
      library: capabilities.libraryDescription,
      // Field names avoid the word "token": log redaction treats keys ending in it as credentials.
      tokenLabel: config.tokenLabel,
      workers: config.workers,
      ecdhKdfInHsm: capabilities.ecdhKdfInToken,
    });
    if (!capabilities.ecdhKdfInToken) {
      logger.info('the token has no X9.63 KDF for ECDH: shared secrets leave the token for the KDF in software', { module: config.modulePath });
    }
    return new Pkcs11KeyManager(pool, config.tokenLabel, capabilities);
  }

  // --- elliptic-curve keys -------------------------------------------------------------------------------------

  async createEcKeyPair(uri: string, curve: Curve, options: { usages?: Array<'sign' | 'derive'> } = {}): Promise<EcPublicKey> {
    const key = this.keyRef(uri);
    checkCurve(curve);
    const usages = options.usages ?? ['sign'];
    checkEcUsages(usages);
    return this.call<EcPublicKey>({ op: 'createEcKeyPair', key, curve, usages }, `generating ${curve} key pair ${uri}`).then(publicKeyFromWorker);
  }

  async getPublicKey(uri: string): Promise<EcPublicKey> {
    return this.call<EcPublicKey>({ op: 'getPublicKey', key: this.keyRef(uri) }, `reading the public key ${uri}`).then(publicKeyFromWorker);
  }

  async createSigner(uri: string): Promise<Signer> {
    const key = this.keyRef(uri);
    return new Pkcs11Signer(this.pool, key, await this.getPublicKey(uri));
  }

  verify(spki: Buffer, data: Uint8Array, signature: Buffer, hash?: HashAlgorithm): Promise<boolean> {
    return verifyEcdsa(spki, data, signature, hash);
  }

  async deriveSharedSecret(privateKeyUri: string, peerPoint: Buffer): Promise<Buffer> {
    const key = this.keyRef(privateKeyUri);
    checkPeerPoint(peerPoint);
    return this.call<Uint8Array>({ op: 'deriveSharedSecret', key, peerPoint }, `ECDH with ${privateKeyUri}`).then(toBuffer);
  }

  async unwrapWithKeyAgreement(privateKeyUri: string, ephemeralPoint: Buffer, agreement: KeyAgreement, wrapped: Buffer, wrappingKeyUri: string): Promise<WrappedKey> {
    const key = this.keyRef(privateKeyUri);
    checkPeerPoint(ephemeralPoint);
    checkWrappedLength(wrapped, 128);
    const call: WorkerCall = { op: 'unwrapWithKeyAgreement', key, ephemeralPoint, hash: agreement.hash, sharedInfo: agreement.sharedInfo, wrapped, wrappingKey: this.keyRef(wrappingKeyUri) };
    return this.call<WrappedKey>(call, `CMS key agreement with ${privateKeyUri}`).then(wrappedFromWorker);
  }

  async wrapWithKeyAgreement(key: KeyInput, curve: Curve, recipientPoint: Buffer, agreement: KeyAgreement): Promise<{ ephemeralPoint: Buffer; wrapped: Buffer }> {
    checkCurve(curve);
    checkPeerPoint(recipientPoint);
    const call: WorkerCall = { op: 'wrapWithKeyAgreement', key: this.keyInputRef(key), curve, recipientPoint, hash: agreement.hash, sharedInfo: agreement.sharedInfo };
    const result = await this.call<{ ephemeralPoint: Uint8Array; wrapped: Uint8Array }>(call, `CMS key agreement for ${describeKey(key)}`);
    return { ephemeralPoint: toBuffer(result.ephemeralPoint), wrapped: toBuffer(result.wrapped) };
  }

  // --- AES keys ------------------------------------------------------------------------------------------------

  async createAesKey(uri: string, options: CreateAesKeyOptions): Promise<KeyInfo> {
    const key = this.keyRef(uri);
    checkAesOptions(options);
    return this.call<KeyInfo>({ op: 'createAesKey', key, options: { ...options, wrappable: options.wrappable === true } }, `generating AES key ${uri}`);
  }

  async importAesKey(uri: string, value: Uint8Array, options: CreateAesKeyOptions): Promise<KeyInfo> {
    const key = this.keyRef(uri);
    checkAesOptions(options);
    checkKeyValue(value, options.bits);
    const call: WorkerCall = { op: 'importAesKey', key, value, options: { ...options, wrappable: options.wrappable === true } };
    return this.call<KeyInfo>(call, `importing AES key ${uri}`);
  }

  async generateWrappedAesKey(wrappingKeyUri: string, bits: AesKeyBits): Promise<WrappedKey> {
    const wrappingKey = this.keyRef(wrappingKeyUri);
    checkAesBits(bits);
    const action = `generating a wrapped AES-${bits} key under ${wrappingKeyUri}`;
    return this.call<WrappedKey>({ op: 'generateWrappedAesKey', wrappingKey, bits }, action).then(wrappedFromWorker);
  }

  async wrapKey(wrappingKeyUri: string, keyUri: string): Promise<Buffer> {
    const call: WorkerCall = { op: 'wrapKey', wrappingKey: this.keyRef(wrappingKeyUri), key: this.keyRef(keyUri) };
    return this.call<Uint8Array>(call, `wrapping ${keyUri} under ${wrappingKeyUri}`).then(toBuffer);
  }

  async unwrapKey(wrapped: WrappedKey, targetUri: string, options: CreateAesKeyOptions): Promise<KeyInfo> {
    const target = this.keyRef(targetUri);
    checkAesOptions(options);
    checkWrappedLength(wrapped.wrapped, options.bits);
    const call: WorkerCall = { op: 'unwrapKey', wrapped: this.wrappedRef(wrapped), target, options: { ...options, wrappable: options.wrappable === true } };
    return this.call<KeyInfo>(call, `unwrapping ${targetUri} under ${wrapped.wrappingKeyUri}`);
  }

  async rewrapKey(wrapped: WrappedKey, newWrappingKeyUri: string): Promise<WrappedKey> {
    const call: WorkerCall = { op: 'rewrapKey', wrapped: this.wrappedRef(wrapped), newWrappingKey: this.keyRef(newWrappingKeyUri) };
    const action = `re-wrapping a key from ${wrapped.wrappingKeyUri} to ${newWrappingKeyUri}`;
    return this.call<WrappedKey>(call, action).then(wrappedFromWorker);
  }

  async wrapKeyUnder(kek: KeyInput, key: KeyInput): Promise<Buffer> {
    const call: WorkerCall = { op: 'wrapKeyUnder', kek: this.keyInputRef(kek), key: this.keyInputRef(key) };
    return this.call<Uint8Array>(call, `wrapping ${describeKey(key)} under ${describeKey(kek)}`).then(toBuffer);
  }

  /**
   * Computed as AES_K(block xor K1) by C_DeriveKey with CKM_AES_CBC_ENCRYPT_DATA (IV 0), so the derived keys are
   * token objects from the start; only the CMAC subkey K1 is computed in the worker (see worker/cmac-derivation.ts).
   */
  async deriveAesKeysByCmac(base: KeyInput, blocks: Uint8Array[], wrappingKeyUri: string): Promise<WrappedKey[]> {
    if (!this.capabilities.mechanisms.includes('CKM_AES_CBC_ENCRYPT_DATA')) {
      throw new HsmError('mechanism-missing', 'the token lacks CKM_AES_CBC_ENCRYPT_DATA, which derives keys by AES-CMAC inside the HSM');
    }
    const inputs = blocks.map((block) => checkBlock(block, 'CMAC key derivation takes one'));
    const call: WorkerCall = { op: 'deriveAesKeysByCmac', base: this.keyInputRef(base), blocks: inputs, wrappingKey: this.keyRef(wrappingKeyUri) };
    const derived = await this.call<WrappedKey[]>(call, `deriving keys by AES-CMAC from ${describeKey(base)}`);
    return derived.map(wrappedFromWorker);
  }

  async aesCmac(key: KeyInput, data: Uint8Array): Promise<Buffer> {
    return this.aes('cmac', key, { data });
  }

  async aesGcmEncrypt(key: KeyInput, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagBytes = 16): Promise<GcmResult> {
    checkGcm(iv, tagBytes);
    const result = await this.aes<GcmResult>('gcm-encrypt', key, { data: plaintext, iv, aad, tagBytes });
    return { ciphertext: toBuffer(result.ciphertext), tag: toBuffer(result.tag) };
  }

  async aesGcmDecrypt(key: KeyInput, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Promise<Buffer> {
    checkGcm(iv, tag.length);
    return this.aes('gcm-decrypt', key, { data: ciphertext, iv, aad, tag });
  }

  async aesGcmEncryptWithKeyedAad(key: KeyInput, iv: Uint8Array, aad: KeyedAad, plaintext: Uint8Array, tagBytes = 16): Promise<GcmResult> {
    checkGcm(iv, tagBytes);
    const result = await this.aes<GcmResult>('gcm-encrypt', key, { data: plaintext, iv, keyedAad: this.keyedAadRef(aad), tagBytes });
    return { ciphertext: toBuffer(result.ciphertext), tag: toBuffer(result.tag) };
  }

  async aesGcmDecryptWithKeyedAad(key: KeyInput, iv: Uint8Array, aad: KeyedAad, ciphertext: Uint8Array, tag: Uint8Array): Promise<Buffer> {
    checkGcm(iv, tag.length);
    return this.aes('gcm-decrypt', key, { data: ciphertext, iv, keyedAad: this.keyedAadRef(aad), tag });
  }

  async aesCbcEncrypt(key: KeyInput, iv: Uint8Array, plaintext: Uint8Array): Promise<Buffer> {
    checkCbc(iv, plaintext);
    return this.aes('cbc-encrypt', key, { data: plaintext, iv });
  }

  async aesCbcDecrypt(key: KeyInput, iv: Uint8Array, ciphertext: Uint8Array): Promise<Buffer> {
    checkCbc(iv, ciphertext);
    return this.aes('cbc-decrypt', key, { data: ciphertext, iv });
  }

  async aesEcbEncryptBlock(key: KeyInput, block: Uint8Array): Promise<Buffer> {
    checkBlock(block);
    return this.aes('ecb-encrypt', key, { data: block });
  }

  // --- lookup and lifecycle ------------------------------------------------------------------------------------

  async findKey(uri: string): Promise<KeyInfo | undefined> {
    return this.call<KeyInfo | undefined>({ op: 'findKey', key: this.keyRef(uri) }, `looking up ${uri}`);
  }

  async listKeys(filter: { kind?: KeyInfo['kind'] } = {}): Promise<KeyInfo[]> {
    return this.call<KeyInfo[]>({ op: 'listKeys', ...(filter.kind && { kind: filter.kind }) }, 'listing the keys of the token');
  }

  async destroyKey(uri: string): Promise<number> {
    const key = this.keyRef(uri);
    const destroyed = await this.call<number>({ op: 'destroyKey', key }, `destroying ${uri}`);
    // The other workers drop their cached handles and session copies of the key.
    this.pool.broadcast({ type: 'invalidate', labels: [key.label] });
    return destroyed;
  }

  async health(): Promise<KeyManagerHealth> {
    try {
      return await this.call<KeyManagerHealth>({ op: 'health' }, `checking token '${this.tokenLabel}'`);
    } catch (error) {
      return { ok: false, token: this.tokenLabel, detail: (error as Error).message };
    }
  }

  /** Counters of the worker pool (requests, failures, timeouts, replaced workers), e.g. for metrics. */
  stats(): HsmPoolStats {
    return this.pool.stats();
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  // --- test hooks (NODE_ENV=test only) -------------------------------------------------------------------------

  /** Makes one worker block for `ms` like a hung module call. */
  __debugHang(ms: number): Promise<unknown> {
    this.requireDebugHooks();
    return this.call({ op: '__debugHang', ms }, `the debug hang of ${ms} ms`);
  }

  /** Parks every worker between two calls; resolves with the function that lets them go on. */
  __debugPauseWorkers(): Promise<() => void> {
    this.requireDebugHooks();
    return this.pool.pauseWorkers();
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  private requireDebugHooks(): void {
    if (!debugHooksEnabled()) throw new HsmError('invalid-input', 'debug hooks exist only under NODE_ENV=test');
  }

  async aesCbcDecryptKeyBlocks(
    key: KeyInput,
    iv: Uint8Array,
    ciphertext: Uint8Array,
    keyBlocks: readonly number[],
    wrappingKeyUri: string,
  ): Promise<{ plaintext: Buffer; keys: KeyBlockResult[] }> {
    checkCbc(iv, ciphertext);
    const blocks = ciphertext.length / 16;
    if (keyBlocks.some((index) => !Number.isInteger(index) || index < 0 || index >= blocks) || new Set(keyBlocks).size !== keyBlocks.length) {
      throw new HsmError('invalid-input', `key blocks must be distinct block numbers below ${blocks}`);
    }
    const call: WorkerCall = { op: 'cbcDecryptKeyBlocks', key: this.keyInputRef(key), iv, data: ciphertext, keyBlocks: [...keyBlocks], wrappingKey: this.keyRef(wrappingKeyUri) };
    const result = await this.call<{ plaintext: Uint8Array; keys: KeyBlockResult[] }>(call, `AES-CBC decryption of key blocks with ${describeKey(key)}`);
    return { plaintext: toBuffer(result.plaintext), keys: result.keys.map((entry) => ({ ...entry, wrapped: wrappedFromWorker(entry.wrapped) })) };
  }

  async aesCbcEncryptKeyBlocks(key: KeyInput, iv: Uint8Array, segments: readonly CbcSegment[]): Promise<Buffer> {
    for (const segment of segments) if ('data' in segment) checkCbc(iv, segment.data);
    const refs = segments.map((segment) => ('data' in segment ? { data: segment.data } : { key: this.keyInputRef(segment.key) }));
    const call: WorkerCall = { op: 'cbcEncryptKeyBlocks', key: this.keyInputRef(key), iv, segments: refs };
    return this.call<Uint8Array>(call, `AES-CBC encryption of key blocks with ${describeKey(key)}`).then(toBuffer);
  }

  private call<T>(call: WorkerCall, action: string): Promise<T> {
    return this.pool.submit<T>(call, action);
  }

  private aes<T = Buffer>(
    mode: AesMode,
    key: KeyInput,
    fields: { data: Uint8Array; iv?: Uint8Array; aad?: Uint8Array; keyedAad?: KeyedAadRef; tag?: Uint8Array; tagBytes?: number },
  ): Promise<T> {
    const keyRef = this.keyInputRef(key);
    const action = `${AES_MODE_NAMES[mode]} with ${describeKey(key)}`;
    return this.call<T | Uint8Array>({ op: 'aes', mode, key: keyRef, ...fields }, action).then((value) =>
      value instanceof Uint8Array ? (toBuffer(value) as T) : (value as T),
    );
  }

  /** A URI of this manager's token, reduced to what the workers search by. */
  private keyRef(uri: string): KeyRef {
    const parsed = parsePkcs11Uri(uri);
    if (parsed.token === undefined || parsed.object === undefined) {
      throw new HsmError('invalid-input', `${uri} must name a token and an object (pkcs11:token=...;object=...)`);
    }
    if (parsed.token !== this.tokenLabel) {
      throw new HsmError('invalid-input', `${uri} names token '${parsed.token}', but this key manager serves token '${this.tokenLabel}'`);
    }
    return { uri, label: parsed.object, ...(parsed.id && { id: parsed.id.toString('hex') }), ...(parsed.type && { type: parsed.type }) };
  }

  private wrappedRef(wrapped: WrappedKey): { wrappingKey: KeyRef; wrapped: Uint8Array } {
    if (!wrapped || typeof wrapped.wrappingKeyUri !== 'string' || !(wrapped.wrapped instanceof Uint8Array)) {
      throw new HsmError('invalid-input', 'a wrapped key is { wrappingKeyUri: string, wrapped: Buffer }');
    }
    checkWrappedLength(wrapped.wrapped);
    return { wrappingKey: this.keyRef(wrapped.wrappingKeyUri), wrapped: wrapped.wrapped };
  }

  private keyInputRef(key: KeyInput): KeyInputRef {
    return typeof key === 'string' ? { token: this.keyRef(key) } : { wrapped: this.wrappedRef(key) };
  }

  private keyedAadRef(aad: KeyedAad): KeyedAadRef {
    if (!aad || !(aad.prefix instanceof Uint8Array) || (aad.suffix !== undefined && !(aad.suffix instanceof Uint8Array))) {
      throw new HsmError('invalid-input', 'a keyed AAD is { prefix: bytes, key: KeyInput, suffix?: bytes }');
    }
    return { prefix: aad.prefix, key: this.keyInputRef(aad.key), ...(aad.suffix && { suffix: aad.suffix }) };
  }
}

/** A key input in words for messages: its URI, or the key that wraps it (never the blob). */
function describeKey(key: KeyInput): string {
  return typeof key === 'string' ? key : `a key wrapped under ${key.wrappingKeyUri}`;
}

function publicKeyFromWorker(key: EcPublicKey): EcPublicKey {
  return { ...key, spki: toBuffer(key.spki), point: toBuffer(key.point) };
}

function wrappedFromWorker(wrapped: WrappedKey): WrappedKey {
  return { wrappingKeyUri: wrapped.wrappingKeyUri, wrapped: toBuffer(wrapped.wrapped) };
}
