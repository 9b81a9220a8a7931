/**
 * Messages between the key manager (main thread) and its PKCS#11 worker threads. Everything here must survive
 * structured cloning: plain objects, numbers, strings and byte arrays (Buffers arrive as Uint8Array).
 */
import type { AesKeyBits, CreateAesKeyOptions, Curve, HashAlgorithm, KdfHash, KeyInfo, SignatureFormat } from '../key-manager';
import type { HsmErrorData } from '../hsm-error';
import type { Pkcs11ObjectType } from '../pkcs11-uri';

/** A token object named by a URI, reduced to what C_FindObjects needs. `uri` is kept for messages. */
export interface KeyRef {
  uri: string;
  label: string;
  /** CKA_ID as hex, when the URI names one. */
  id?: string;
  type?: Pkcs11ObjectType;
}

export interface WrappedKeyRef {
  wrappingKey: KeyRef;
  wrapped: Uint8Array;
}

/** An operation input: a token key, or a wrapped working key to unwrap into a short-lived session object. */
export type KeyInputRef = { token: KeyRef } | { wrapped: WrappedKeyRef };

export type AesMode = 'cmac' | 'gcm-encrypt' | 'gcm-decrypt' | 'cbc-encrypt' | 'cbc-decrypt' | 'ecb-encrypt';

/** The operation in words, for messages ("AES-CMAC with pkcs11:... failed: ..."). */
export const AES_MODE_NAMES: Record<AesMode, string> = {
  cmac: 'AES-CMAC',
  'gcm-encrypt': 'AES-GCM encryption',
  'gcm-decrypt': 'AES-GCM decryption',
  'cbc-encrypt': 'AES-CBC encryption',
  'cbc-decrypt': 'AES-CBC decryption',
  'ecb-encrypt': 'AES-ECB encryption',
};

/** A KeyedAad as the worker gets it. */
export interface KeyedAadRef {
  prefix: Uint8Array;
  key: KeyInputRef;
  suffix?: Uint8Array;
}

export type WorkerCall =
  | { op: 'createEcKeyPair'; key: KeyRef; curve: Curve; usages: Array<'sign' | 'derive'> }
  | { op: 'getPublicKey'; key: KeyRef }
  | { op: 'sign'; key: KeyRef; curve: Curve; format: SignatureFormat; data?: Uint8Array; hash?: HashAlgorithm; digest?: Uint8Array }
  | { op: 'deriveSharedSecret'; key: KeyRef; peerPoint: Uint8Array }
  | { op: 'createAesKey'; key: KeyRef; options: CreateAesKeyOptions }
  | { op: 'importAesKey'; key: KeyRef; value: Uint8Array; options: CreateAesKeyOptions }
  | { op: 'generateWrappedAesKey'; wrappingKey: KeyRef; bits: AesKeyBits }
  | { op: 'wrapKey'; wrappingKey: KeyRef; key: KeyRef }
  | { op: 'unwrapKey'; wrapped: WrappedKeyRef; target: KeyRef; options: CreateAesKeyOptions }
  | { op: 'rewrapKey'; wrapped: WrappedKeyRef; newWrappingKey: KeyRef }
  | { op: 'wrapKeyUnder'; kek: KeyInputRef; key: KeyInputRef }
  | { op: 'unwrapWithKeyAgreement'; key: KeyRef; ephemeralPoint: Uint8Array; hash: KdfHash; sharedInfo: Uint8Array; wrapped: Uint8Array; wrappingKey: KeyRef }
  | { op: 'wrapWithKeyAgreement'; key: KeyInputRef; curve: Curve; recipientPoint: Uint8Array; hash: KdfHash; sharedInfo: Uint8Array }
  | { op: 'cbcDecryptKeyBlocks'; key: KeyInputRef; iv: Uint8Array; data: Uint8Array; keyBlocks: number[]; wrappingKey: KeyRef }
  | { op: 'cbcEncryptKeyBlocks'; key: KeyInputRef; iv: Uint8Array; segments: Array<{ data: Uint8Array } | { key: KeyInputRef }> }
  | { op: 'deriveAesKeysByCmac'; base: KeyInputRef; blocks: Uint8Array[]; wrappingKey: KeyRef }
  | {
      op: 'aes';
      mode: AesMode;
      key: KeyInputRef;
      data: Uint8Array;
      iv?: Uint8Array;
      aad?: Uint8Array;
      keyedAad?: KeyedAadRef;
      tag?: Uint8Array;
      tagBytes?: number;
    }
  | { op: 'findKey'; key: KeyRef }
  | { op: 'listKeys'; kind?: KeyInfo['kind'] }
  | { op: 'destroyKey'; key: KeyRef }
  | { op: 'health' }
  /** Test hook (only when the pool runs with debug hooks): blocks the worker like a hung module call. */
  | { op: '__debugHang'; ms: number };

export type WorkerOpName = WorkerCall['op'];

/** Operations that change the token: their results are sent back at once, never held back in a batch. */
export const MUTATING_OPS: ReadonlySet<WorkerOpName> = new Set<WorkerOpName>(['createEcKeyPair', 'createAesKey', 'importAesKey', 'unwrapKey', 'destroyKey']);

export interface WorkerRequest {
  id: number;
  /** true when the request was sent before (to a worker that was replaced): creation must check by label first. */
  retry: boolean;
  call: WorkerCall;
}

export type WorkerResult = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: HsmErrorData };

export interface ProbeResult {
  libraryDescription: string;
  libraryManufacturer: string;
  tokenModel: string;
  tokenManufacturer: string;
  tokenSerial: string;
  mechanisms: number[];
  /** CKM_ECDH1_DERIVE with CKD_SHA256_KDF works inside the token (the X9.63 KDF need not run in software). */
  ecdhKdfInToken: boolean;
}

export type MainToWorker =
  | { type: 'requests'; requests: WorkerRequest[] }
  /** Forget cached handles (and session copies) of keys with these labels: they were destroyed. */
  | { type: 'invalidate'; labels: string[] }
  /** Test hook: wake an idle worker so that it sees the park flag. */
  | { type: 'park' }
  /** Close the session; `finalize`: also C_Finalize (the last user of the module in this process). */
  | { type: 'close'; finalize: boolean };

export type WorkerToMain =
  | { type: 'ready'; probe?: ProbeResult }
  | { type: 'fatal'; error: HsmErrorData }
  | { type: 'results'; results: WorkerResult[] }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string; fields?: object }
  | { type: 'closed' };

/** What a worker is started with (workerData). The PIN travels only here, in memory. */
export interface WorkerSetup {
  modulePath: string;
  tokenLabel: string;
  pin: string;
  /** Set in the (shared) process environment before C_Initialize. */
  moduleEnvironment: Record<string, string>;
  index: number;
  probe: boolean;
  sessionKeyCopies: boolean;
  debugHooks: boolean;
  /** C_Finalize when start-up fails (no other key manager of this process uses the module). */
  finalizeOnFailure: boolean;
  /** Shared with the pool: see {@link ControlSlot}. */
  control: SharedArrayBuffer;
}

/** Int32 slots of the shared control array. */
export const ControlSlot = {
  /** Bumped by any worker that re-opens its session after the module lost sessions: the others re-open too. */
  epoch: 0,
  /** Test hook: 1 while workers must park between calls. */
  park: 1,
  /** Test hook: how many workers are parked. */
  parked: 2,
  /** 1 while a worker is in C_Initialize: SoftHSM's C_Initialize is not safe against a concurrent one. */
  initializing: 3,
} as const;
export const CONTROL_SLOTS = 4;
