/**
 * AES operations in a worker. A key input is a token key (by URI) or a wrapped working key, which is unwrapped
 * into a sensitive session object for the one operation and destroyed right after, so it is never in clear outside
 * the token.
 */
import { randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { AesGCM, Mechanism, Template } from 'pkcs11js';
import type { GcmResult, KeyInfo, SecretKeyUsage, WrappedKey } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import { AES_MODE_NAMES, type KeyInputRef, type WorkerCall, type WrappedKeyRef } from '../worker-protocol';
import { readKeyInfo } from './key-info';
import { createdByEarlierAttempt } from './object-operations';
import { ckrOf } from './pkcs11-failure';
import { aesSessionKeyTemplate, aesTokenKeyTemplate } from './templates';
import { bytes, type WorkerContext } from './worker-context';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

const KEY_WRAP: Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_WRAP }; // RFC 3394: no IV parameter (one gives CKR_ARGUMENTS_BAD)
/** Room for the largest wrapped AES key (256 bits + the 8-byte integrity block), with margin. */
const WRAP_OUTPUT_BYTES = 64;
/** Return values with which modules report an unwrap integrity failure (RFC 3394 check value) or a GCM tag mismatch. */
const INTEGRITY_FAILURES = new Set(['CKR_GENERAL_ERROR', 'CKR_FUNCTION_FAILED', 'CKR_ENCRYPTED_DATA_INVALID', 'CKR_WRAPPED_KEY_INVALID']);

function keyUriOf(input: KeyInputRef): string {
  return 'token' in input ? input.token.uri : `a key wrapped under ${input.wrapped.wrappingKey.uri}`;
}

/** C_UnwrapKey under a token key; a failed RFC 3394 integrity check says so in words. */
function unwrapUnder(ctx: WorkerContext, wrapped: WrappedKeyRef, template: Template, what: string): Buffer {
  const kek = ctx.handles.useKey(wrapped.wrappingKey, pkcs11js.CKO_SECRET_KEY);
  try {
    return ctx.session.pkcs11.C_UnwrapKey(ctx.session.session, KEY_WRAP, kek, bytes(wrapped.wrapped), template);
  } catch (error) {
    const ckr = ckrOf(error);
    if (ckr === undefined || !INTEGRITY_FAILURES.has(ckr)) throw error;
    const reason = 'the RFC 3394 integrity check failed (wrong wrapping key or corrupted blob)';
    throw new HsmError('integrity', `unwrapping ${what} under ${wrapped.wrappingKey.uri} failed: ${reason} (${ckr})`, ckr);
  }
}

/** A wrapped working key as a session object, for one operation. */
function unwrapToSession(ctx: WorkerContext, wrapped: WrappedKeyRef, usages: SecretKeyUsage[], extractable: boolean): Buffer {
  return unwrapUnder(ctx, wrapped, aesSessionKeyTemplate(usages, extractable), 'a working key');
}

/** Runs `use` with a handle of the input key, unwrapping (and afterwards destroying) a wrapped one. */
function withAesKey<T>(ctx: WorkerContext, input: KeyInputRef, usage: SecretKeyUsage, use: (key: Buffer) => T): T {
  if ('token' in input) return use(ctx.handles.useKey(input.token, pkcs11js.CKO_SECRET_KEY));
  const key = unwrapToSession(ctx, input.wrapped, [usage], false);
  try {
    return use(key);
  } finally {
    ctx.handles.destroyQuietly(key);
  }
}

function gcmMechanism(iv: Buffer, aad: Buffer, tagBytes: number): Mechanism {
  const parameter: AesGCM = { type: pkcs11js.CK_PARAMS_AES_GCM, iv, aad, ivBits: iv.length * 8, tagBits: tagBytes * 8 };
  return { mechanism: pkcs11js.CKM_AES_GCM, parameter };
}

function encrypt(ctx: WorkerContext, mechanism: Mechanism, key: Buffer, data: Buffer, outputBytes: number): Buffer {
  ctx.session.pkcs11.C_EncryptInit(ctx.session.session, mechanism, key);
  return ctx.session.pkcs11.C_Encrypt(ctx.session.session, data, Buffer.allocUnsafe(outputBytes));
}

function decrypt(ctx: WorkerContext, mechanism: Mechanism, key: Buffer, data: Buffer, outputBytes: number): Buffer {
  ctx.session.pkcs11.C_DecryptInit(ctx.session.session, mechanism, key);
  return ctx.session.pkcs11.C_Decrypt(ctx.session.session, data, Buffer.allocUnsafe(outputBytes));
}

function gcmDecrypt(ctx: WorkerContext, call: Call<'aes'>, key: Buffer): Buffer {
  const tag = bytes(call.tag!);
  try {
    return decrypt(ctx, gcmMechanism(bytes(call.iv!), bytes(call.aad!), tag.length), key, Buffer.concat([bytes(call.data), tag]), call.data.length + tag.length);
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

function runMode(ctx: WorkerContext, call: Call<'aes'>, key: Buffer): Buffer | GcmResult {
  const data = bytes(call.data);
  switch (call.mode) {
    case 'cmac':
      ctx.session.pkcs11.C_SignInit(ctx.session.session, { mechanism: pkcs11js.CKM_AES_CMAC }, key);
      return ctx.session.pkcs11.C_Sign(ctx.session.session, data, Buffer.allocUnsafe(16));
    case 'gcm-encrypt': {
      const tagBytes = call.tagBytes ?? 16;
      const out = encrypt(ctx, gcmMechanism(bytes(call.iv!), bytes(call.aad!), tagBytes), key, data, data.length + tagBytes);
      return { ciphertext: Buffer.from(out.subarray(0, data.length)), tag: Buffer.from(out.subarray(data.length)) };
    }
    case 'gcm-decrypt':
      return gcmDecrypt(ctx, call, key);
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
    withAesKey(ctx, call.key, USAGE_BY_MODE[call.mode], (key) => runMode(ctx, call, key)),
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
