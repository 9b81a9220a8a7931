/**
 * AES keys and operations in a worker. A key input is a token key (by URI) or a wrapped working key, which is
 * unwrapped into a sensitive session object for the one operation and destroyed right after (wrapped-keys.ts), so
 * it is never in clear outside the token.
 */
import { randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { AesGCM, Mechanism } from 'pkcs11js';
import type { GcmResult, KeyInfo, SecretKeyUsage, WrappedKey } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import { AES_MODE_NAMES, type WorkerCall } from '../worker-protocol';
import { readKeyInfo } from './key-info';
import { createdByEarlierAttempt } from './object-operations';
import { ckrOf } from './pkcs11-failure';
import { withKeyedAad } from './keyed-aad';
import { aesSessionKeyTemplate, aesTokenKeyTemplate } from './templates';
import { INTEGRITY_FAILURES, KEY_WRAP, keyUriOf, unwrapToSession, unwrapUnder, WRAP_OUTPUT_BYTES, withAesKey } from './wrapped-keys';
import { bytes, type WorkerContext } from './worker-context';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

function gcmMechanism(iv: Buffer, aad: Buffer, tagBytes: number): Mechanism {
  const parameter: AesGCM = { type: pkcs11js.CK_PARAMS_AES_GCM, iv, aad, ivBits: iv.length * 8, tagBits: tagBytes * 8 };
  return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
}

function encrypt(ctx: WorkerContext, mechanism: Mechanism, key: Buffer, data: Buffer, outputBytes: number): Buffer {
  ctx.session.pkcs11.C_EncryptInit(ctx.session.session, mechanism, key);
  return ctx.session.pkcs11.C_Encrypt(ctx.session.session, data, Buffer.allocUnsafe(outputBytes));
}

/** GCM over no plaintext (GMAC, e.g. DLMS authentication only): C_Encrypt refuses empty input, C_EncryptFinal gives the tag. */
function gmac(ctx: WorkerContext, mechanism: Mechanism, key: Buffer, tagBytes: number): Buffer {
  ctx.session.pkcs11.C_EncryptInit(ctx.session.session, mechanism, key);
  return ctx.session.pkcs11.C_EncryptFinal(ctx.session.session, Buffer.allocUnsafe(tagBytes));
}

function decrypt(ctx: WorkerContext, mechanism: Mechanism, key: Buffer, data: Buffer, outputBytes: number): Buffer {
  ctx.session.pkcs11.C_DecryptInit(ctx.session.session, mechanism, key);
  return ctx.session.pkcs11.C_Decrypt(ctx.session.session, data, Buffer.allocUnsafe(outputBytes));
}

function gcmDecrypt(ctx: WorkerContext, call: Call<'aes'>, key: Buffer, aad: Buffer): Buffer {
  const tag = bytes(call.tag!);
  try {
    return decrypt(ctx, gcmMechanism(bytes(call.iv!), aad, tag.length), key, Buffer.concat([bytes(call.data), tag]), call.data.length + tag.length);
  } catch (error) {
    const ckr = ckrOf(error);
    if (ckr === undefined || !INTEGRITY_FAILURES.has(ckr)) throw error;
    throw new HsmError(
      'integrity',
      `AES-GCM decryption with ${keyUriOf(call.key)} failed: the authentication tag does not verify (ciphertext, AAD, IV or key differ) (${ckr})`,
      ckr,
    );
  }
}

const USAGE_BY_MODE: Record<Call<'aes'>['mode'], SecretKeyUsage> = {
  cmac: 'sign',
  'gcm-encrypt': 'encrypt',
  'gcm-decrypt': 'decrypt',
  'cbc-encrypt': 'encrypt',
  'cbc-decrypt': 'decrypt',
  'ecb-encrypt': 'encrypt',
};

function runMode(ctx: WorkerContext, call: Call<'aes'>, key: Buffer, aad: Buffer): Buffer | GcmResult {
  const data = bytes(call.data);
  switch (call.mode) {
    case 'cmac':
      ctx.session.pkcs11.C_SignInit(ctx.session.session, { mechanism: pkcs11js.CKM_AES_CMAC }, key);
      return ctx.session.pkcs11.C_Sign(ctx.session.session, data, Buffer.allocUnsafe(16));
    case 'gcm-encrypt': {
      const tagBytes = call.tagBytes ?? 16;
      const mechanism = gcmMechanism(bytes(call.iv!), aad, tagBytes);
      const out = data.length > 0 ? encrypt(ctx, mechanism, key, data, data.length + tagBytes) : gmac(ctx, mechanism, key, tagBytes);
      return { ciphertext: Buffer.from(out.subarray(0, data.length)), tag: Buffer.from(out.subarray(data.length)) };
    }
    case 'gcm-decrypt':
      return gcmDecrypt(ctx, call, key, aad);
    case 'cbc-encrypt':
      return encrypt(ctx, { mechanism: pkcs11js.CKM_AES_CBC, parameter: bytes(call.iv!) }, key, data, data.length);
    case 'cbc-decrypt':
      return decrypt(ctx, { mechanism: pkcs11js.CKM_AES_CBC, parameter: bytes(call.iv!) }, key, data, data.length);
    case 'ecb-encrypt':
      return encrypt(ctx, { mechanism: pkcs11js.CKM_AES_ECB }, key, data, data.length);
  }
}

export function aesOperation(ctx: WorkerContext, call: Call<'aes'>): Buffer | GcmResult {
  return ctx.session.execute(`${AES_MODE_NAMES[call.mode]} with ${keyUriOf(call.key)}`, () =>
    withAesKey(ctx, call.key, USAGE_BY_MODE[call.mode], (key) => {
      if (!call.keyedAad) return runMode(ctx, call, key, call.aad ? bytes(call.aad) : Buffer.alloc(0));
      return withKeyedAad(ctx, call.keyedAad, (aad) => runMode(ctx, call, key, aad));
    }),
  );
}

/** C_CreateObject of a key with a known value (a transport key from its components); this worker's copy is wiped after. */
export function importAesKey(ctx: WorkerContext, call: Call<'importAesKey'>, retry: boolean): KeyInfo {
  const value = bytes(call.value);
  try {
    return ctx.session.execute(`importing AES-${call.options.bits} key ${call.key.uri}`, (again) => {
      const existing = createdByEarlierAttempt(ctx, call.key, again || retry);
      if (existing) return readKeyInfo(ctx.session, ctx.handles.tokenObject(call.key, pkcs11js.CKO_SECRET_KEY), ctx.tokenLabel)!;
      const id = call.key.id !== undefined ? Buffer.from(call.key.id, 'hex') : randomBytes(16);
      const template = [...aesTokenKeyTemplate(call.key.label, id, call.options, 'import'), { type: pkcs11js.CKA_VALUE, value }];
      const handle = ctx.session.pkcs11.C_CreateObject(ctx.session.session, template);
      return { ...readKeyInfo(ctx.session, handle, ctx.tokenLabel)!, bits: call.options.bits };
    });
  } finally {
    value.fill(0);
  }
}

export function wrapKeyUnder(ctx: WorkerContext, call: Call<'wrapKeyUnder'>): Buffer {
  return ctx.session.execute(`wrapping ${keyUriOf(call.key)} under ${keyUriOf(call.kek)}`, () =>
    withAesKey(ctx, call.kek, 'wrap', (kek) => {
      const wrap = (key: Buffer): Buffer => ctx.session.pkcs11.C_WrapKey(ctx.session.session, KEY_WRAP, kek, key, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES));
      // A wrapped key is unwrapped extractable only to be wrapped again, and destroyed right after.
      return withAesKey(ctx, call.key, [], wrap, true);
    }),
  );
}

export function createAesKey(ctx: WorkerContext, call: Call<'createAesKey'>, retry: boolean): KeyInfo {
  return ctx.session.execute(`generating AES-${call.options.bits} key ${call.key.uri}`, (again) => {
    if (createdByEarlierAttempt(ctx, call.key, again || retry)) return readKeyInfo(ctx.session, ctx.handles.tokenObject(call.key, pkcs11js.CKO_SECRET_KEY), ctx.tokenLabel)!;
    const id = call.key.id !== undefined ? Buffer.from(call.key.id, 'hex') : randomBytes(16);
    const template = aesTokenKeyTemplate(call.key.label, id, call.options, 'generate');
    const handle = ctx.session.pkcs11.C_GenerateKey(ctx.session.session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, template);
    return readKeyInfo(ctx.session, handle, ctx.tokenLabel)!;
  });
}

export function generateWrappedAesKey(ctx: WorkerContext, call: Call<'generateWrappedAesKey'>): WrappedKey {
  return ctx.session.execute(`generating an AES-${call.bits} working key wrapped under ${call.wrappingKey.uri}`, () => {
    const { pkcs11 } = ctx.session;
    const session = ctx.session.session;
    const kek = ctx.handles.useKey(call.wrappingKey, pkcs11js.CKO_SECRET_KEY);
    const key = pkcs11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, aesSessionKeyTemplate([], true, call.bits));
    try {
      return { wrappingKeyUri: call.wrappingKey.uri, wrapped: pkcs11.C_WrapKey(session, KEY_WRAP, kek, key, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES)) };
    } finally {
      ctx.handles.destroyQuietly(key);
    }
  });
}

export function wrapKey(ctx: WorkerContext, call: Call<'wrapKey'>): Buffer {
  return ctx.session.execute(`wrapping ${call.key.uri} under ${call.wrappingKey.uri}`, () => {
    const kek = ctx.handles.useKey(call.wrappingKey, pkcs11js.CKO_SECRET_KEY);
    const key = ctx.handles.useKey(call.key, pkcs11js.CKO_SECRET_KEY);
    return ctx.session.pkcs11.C_WrapKey(ctx.session.session, KEY_WRAP, kek, key, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES));
  });
}

export function unwrapKey(ctx: WorkerContext, call: Call<'unwrapKey'>, retry: boolean): KeyInfo {
  return ctx.session.execute(`unwrapping ${call.target.uri} under ${call.wrapped.wrappingKey.uri}`, (again) => {
    if (createdByEarlierAttempt(ctx, call.target, again || retry)) return readKeyInfo(ctx.session, ctx.handles.tokenObject(call.target, pkcs11js.CKO_SECRET_KEY), ctx.tokenLabel)!;
    const id = call.target.id !== undefined ? Buffer.from(call.target.id, 'hex') : randomBytes(16);
    const template = aesTokenKeyTemplate(call.target.label, id, call.options, 'unwrap');
    const handle = unwrapUnder(ctx, call.wrapped, template, call.target.uri);
    // The blob's length (checked against options.bits) is the key's length, whatever CKA_VALUE_LEN says.
    return { ...readKeyInfo(ctx.session, handle, ctx.tokenLabel)!, bits: call.options.bits };
  });
}

export function rewrapKey(ctx: WorkerContext, call: Call<'rewrapKey'>): WrappedKey {
  return ctx.session.execute(`re-wrapping a key from ${call.wrapped.wrappingKey.uri} to ${call.newWrappingKey.uri}`, () => {
    // Extractable only so that it can be wrapped again; it is destroyed before this returns.
    const key = unwrapToSession(ctx, call.wrapped, [], true);
    try {
      const kek = ctx.handles.useKey(call.newWrappingKey, pkcs11js.CKO_SECRET_KEY);
      const wrapped = ctx.session.pkcs11.C_WrapKey(ctx.session.session, KEY_WRAP, kek, key, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES));
      return { wrappingKeyUri: call.newWrappingKey.uri, wrapped };
    } finally {
      ctx.handles.destroyQuietly(key);
    }
  });
}
