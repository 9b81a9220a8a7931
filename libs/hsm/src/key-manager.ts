/**
 * The key manager: the one interface through which smpki uses keys. Modelled on smallstep/crypto's kms:
 * keys are named by RFC 7512 PKCS#11 URIs (`pkcs11:token=smpki;object=calibration-ca-2026`), private and
 * master keys never leave the backend, and symmetric working keys leave it only wrapped.
 *
 * Working keys that are stored wrapped in a database (meter keys in the SKM) are passed as a {@link WrappedKey}:
 * the backend unwraps them into a short-lived session object, uses it and destroys it, so they are never in clear
 * outside the HSM.
 */

export type Curve = 'brainpoolP256r1' | 'brainpoolP384r1' | 'brainpoolP512r1' | 'P-256' | 'P-384';
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type AesKeyBits = 128 | 256;

/** `der`: ECDSA-Sig-Value (X.509, CMS). `raw`: r||s, each padded to the curve size (JOSE). */
export type SignatureFormat = 'der' | 'raw';

export interface EcPublicKey {
  keyUri: string;
  curve: Curve;
  /** DER SubjectPublicKeyInfo (id-ecPublicKey with the named curve). */
  spki: Buffer;
  /** Uncompressed point 04||X||Y. */
  point: Buffer;
}

export interface Signer {
  readonly keyUri: string;
  readonly curve: Curve;
  readonly publicKey: EcPublicKey;
  /** Hashes `data` in software (default hash follows the curve size) and signs the digest with CKM_ECDSA in the token. */
  sign(data: Uint8Array, options?: { hash?: HashAlgorithm; format?: SignatureFormat }): Promise<Buffer>;
  /** Signs a digest that the caller computed. */
  signDigest(digest: Uint8Array, options?: { format?: SignatureFormat }): Promise<Buffer>;
}

export type SecretKeyUsage = 'wrap' | 'unwrap' | 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'derive';

export interface CreateAesKeyOptions {
  bits: AesKeyBits;
  usages: SecretKeyUsage[];
  /**
   * false (default): a master key, never extractable, not even wrapped.
   * true: a working key that may leave the token wrapped under a wrapping key (CKA_EXTRACTABLE, still CKA_SENSITIVE).
   */
  wrappable?: boolean;
}

/** A secret key that exists outside the token only as an RFC 3394 blob under a token key. */
export interface WrappedKey {
  /** URI of the wrapping (master / transport) key in the token. */
  wrappingKeyUri: string;
  /** RFC 3394 AES key wrap output (8 bytes longer than the key). */
  wrapped: Buffer;
}

/** A key as an operation input: a token object by URI, or a wrapped working key. */
export type KeyInput = string | WrappedKey;

/**
 * An AAD that contains the value of a secret key: `prefix || value(key) || suffix` (DLMS/COSEM suite 0:
 * SC || AK for authenticated encryption, SC || AK || plaintext for authentication only). PKCS#11 has no way to feed
 * a key object into the AAD, so the backend reads the key's value inside its worker, only for the one operation,
 * and wipes it: it never reaches the caller, a log or a message.
 */
export interface KeyedAad {
  prefix: Uint8Array;
  key: KeyInput;
  suffix?: Uint8Array;
}

export interface KeyInfo {
  uri: string;
  label: string;
  /** CKA_ID as hex. */
  id: string;
  kind: 'ec-private' | 'ec-public' | 'aes';
  curve?: Curve;
  bits?: number;
  sensitive: boolean;
  extractable: boolean;
}

export interface GcmResult {
  ciphertext: Buffer;
  tag: Buffer;
}

/** Hash of the ANSI X9.63 KDF in CMS key agreement (RFC 5753: dhSinglePass-stdDH-sha1kdf / -sha256kdf). */
export type KdfHash = 'SHA-1' | 'SHA-256';

/**
 * Ephemeral-static ECDH with the X9.63 KDF (RFC 5753 KeyAgreeRecipientInfo): the KEK is
 * Hash(Z || 00000001 || sharedInfo) truncated to the wrap key size (AES-128, id-aes128-wrap).
 */
export interface KeyAgreement {
  hash: KdfHash;
  /** DER ECC-CMS-SharedInfo, the KDF's other input. */
  sharedInfo: Uint8Array;
}

/** One AES-128 key that was a 16-byte block of an AES-CBC plaintext. */
export interface KeyBlockResult {
  /** Index of the 16-byte block in the ciphertext. */
  block: number;
  /** The key, RFC 3394 under the wrapping key the caller named. */
  wrapped: WrappedKey;
  /** First 3 bytes of AES-ECB(key, 0^128), uppercase hex, computed in the token. */
  kcv: string;
}

/** A piece of an AES-CBC plaintext built in the token: data (multiple of 16 bytes) or a key (one block). */
export type CbcSegment = { data: Uint8Array } | { key: KeyInput };

export interface KeyManagerHealth {
  ok: boolean;
  token: string;
  detail?: string;
}

export interface KeyManager {
  // --- elliptic-curve keys -------------------------------------------------------------------------------------
  /** Generates an EC key pair in the token: private key sensitive, not extractable. Fails if the URI exists. */
  createEcKeyPair(uri: string, curve: Curve, options?: { usages?: Array<'sign' | 'derive'> }): Promise<EcPublicKey>;
  getPublicKey(uri: string): Promise<EcPublicKey>;
  createSigner(uri: string): Promise<Signer>;
  /** Verifies an ECDSA signature (DER or raw) over data with a public key in SPKI form, in software. */
  verify(spki: Buffer, data: Uint8Array, signature: Buffer, hash?: HashAlgorithm): Promise<boolean>;
  /** ECDH (CKM_ECDH1_DERIVE, CKD_NULL) with a token private key; returns the shared secret x-coordinate. */
  deriveSharedSecret(privateKeyUri: string, peerPoint: Buffer): Promise<Buffer>;

  /**
   * CMS key agreement, recipient side: ECDH of `privateKeyUri` with `ephemeralPoint`, the X9.63 KDF, and the RFC 3394
   * unwrap of `wrapped` (the content-encryption key) under the KEK; the CEK is returned wrapped under
   * `wrappingKeyUri`. HsmError 'integrity' when the CEK does not unwrap (another recipient, tampered envelope).
   */
  unwrapWithKeyAgreement(privateKeyUri: string, ephemeralPoint: Buffer, agreement: KeyAgreement, wrapped: Buffer, wrappingKeyUri: string): Promise<WrappedKey>;
  /**
   * CMS key agreement, originator side: an ephemeral key pair on `curve` (session objects), ECDH with
   * `recipientPoint`, the X9.63 KDF and the RFC 3394 wrap of `key` (AES-128, wrappable) under the KEK.
   */
  wrapWithKeyAgreement(key: KeyInput, curve: Curve, recipientPoint: Buffer, agreement: KeyAgreement): Promise<{ ephemeralPoint: Buffer; wrapped: Buffer }>;

  // --- AES keys ------------------------------------------------------------------------------------------------
  createAesKey(uri: string, options: CreateAesKeyOptions): Promise<KeyInfo>;
  /**
   * Creates a token AES key with a known value (C_CreateObject; CKA_SENSITIVE, CKA_EXTRACTABLE = wrappable), e.g. a
   * transport key entered from key components. `value` must have bits/8 bytes. Fails if the URI exists.
   */
  importAesKey(uri: string, value: Uint8Array, options: CreateAesKeyOptions): Promise<KeyInfo>;
  /** Generates a fresh AES working key inside the token and returns it only wrapped under `wrappingKeyUri`. */
  generateWrappedAesKey(wrappingKeyUri: string, bits: AesKeyBits): Promise<WrappedKey>;
  /** RFC 3394 (CKM_AES_KEY_WRAP) of a token key under another token key. */
  wrapKey(wrappingKeyUri: string, keyUri: string): Promise<Buffer>;
  /** Unwraps an RFC 3394 blob into a persistent token object named `targetUri`. */
  unwrapKey(wrapped: WrappedKey, targetUri: string, options: CreateAesKeyOptions): Promise<KeyInfo>;
  /** Moves a wrapped key from one wrapping key to another without it ever being in clear outside the token. */
  rewrapKey(wrapped: WrappedKey, newWrappingKeyUri: string): Promise<WrappedKey>;
  /**
   * RFC 3394 of `key` under `kek`, either of which may be a wrapped working key (DLMS global_key_transfer: the new
   * key under the meter's KEK, both stored wrapped under the tenant master). `key` must be wrappable.
   */
  wrapKeyUnder(kek: KeyInput, key: KeyInput): Promise<Buffer>;
  /**
   * AES-CMAC(base, block) of single complete 16-byte blocks, each as a new AES-128 working key that stays in the
   * token and is returned wrapped under `wrappingKeyUri` (OMS mode 7 / BSI TR-03116-3 session keys Kenc, Kmac).
   * The derived keys permit encrypt, decrypt, sign and verify. See the PKCS#11 backend for how it is computed.
   */
  deriveAesKeysByCmac(base: KeyInput, blocks: Uint8Array[], wrappingKeyUri: string): Promise<WrappedKey[]>;
  aesCmac(key: KeyInput, data: Uint8Array): Promise<Buffer>;
  aesGcmEncrypt(key: KeyInput, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagBytes?: number): Promise<GcmResult>;
  /** Throws HsmError code 'integrity' when the tag does not verify. */
  aesGcmDecrypt(key: KeyInput, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Promise<Buffer>;
  /** AES-GCM whose AAD contains a secret key's value (see {@link KeyedAad}). */
  aesGcmEncryptWithKeyedAad(key: KeyInput, iv: Uint8Array, aad: KeyedAad, plaintext: Uint8Array, tagBytes?: number): Promise<GcmResult>;
  /** Throws HsmError code 'integrity' when the tag does not verify. */
  aesGcmDecryptWithKeyedAad(key: KeyInput, iv: Uint8Array, aad: KeyedAad, ciphertext: Uint8Array, tag: Uint8Array): Promise<Buffer>;
  aesCbcEncrypt(key: KeyInput, iv: Uint8Array, plaintext: Uint8Array): Promise<Buffer>;
  aesCbcDecrypt(key: KeyInput, iv: Uint8Array, ciphertext: Uint8Array): Promise<Buffer>;
  /** Encrypts one 16-byte block with AES-ECB (key derivation schemes such as DLMS/OMS need it). */
  aesEcbEncryptBlock(key: KeyInput, block: Uint8Array): Promise<Buffer>;

  /**
   * AES-CBC decryption of `ciphertext` in which the blocks numbered in `keyBlocks` hold AES-128 keys: those come back
   * only wrapped under `wrappingKeyUri` (with their KCV), every other block decrypted, key blocks as zeros.
   */
  aesCbcDecryptKeyBlocks(key: KeyInput, iv: Uint8Array, ciphertext: Uint8Array, keyBlocks: readonly number[], wrappingKeyUri: string): Promise<{ plaintext: Buffer; keys: KeyBlockResult[] }>;
  /** AES-CBC encryption of a plaintext of data and keys; key segments are encrypted by C_WrapKey (CKM_AES_CBC). */
  aesCbcEncryptKeyBlocks(key: KeyInput, iv: Uint8Array, segments: readonly CbcSegment[]): Promise<Buffer>;

  // --- lookup and lifecycle ------------------------------------------------------------------------------------
  findKey(uri: string): Promise<KeyInfo | undefined>;
  listKeys(filter?: { kind?: KeyInfo['kind'] }): Promise<KeyInfo[]>;
  /** Destroys every object named by the URI (both halves of a key pair). Returns how many were destroyed. */
  destroyKey(uri: string): Promise<number>;

  health(): Promise<KeyManagerHealth>;
  close(): Promise<void>;
}
