/**
 * Key inputs in a worker: a token key by handle, or a wrapped working key unwrapped (RFC 3394) into a sensitive
 * session object for one operation and destroyed right after.
 */
import pkcs11js from 'pkcs11js';
import type { Mechanism, Template } from 'pkcs11js';
import type { SecretKeyUsage } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import type { KeyInputRef, WrappedKeyRef } from '../worker-protocol';
import { ckrOf } from './pkcs11-failure';
import { aesSessionKeyTemplate } from './templates';
import { bytes, type WorkerContext } from './worker-context';

export const KEY_WRAP: Mechanism = { mechanism: pkcs11js.CKM_AES_KEY_WRAP }; // RFC 3394: no IV parameter (one gives CKR_ARGUMENTS_BAD)
/** Room for the largest wrapped AES key (256 bits + the 8-byte integrity block), with margin. */
export const WRAP_OUTPUT_BYTES = 64;
/** Return values with which modules report an unwrap integrity failure (RFC 3394 check value) or a GCM tag mismatch. */
export const INTEGRITY_FAILURES = new Set(['CKR_GENERAL_ERROR', 'CKR_FUNCTION_FAILED', 'CKR_ENCRYPTED_DATA_INVALID', 'CKR_WRAPPED_KEY_INVALID']);

export function keyUriOf(input: KeyInputRef): string {
  return 'token' in input ? input.token.uri : `a key wrapped under ${input.wrapped.wrappingKey.uri}`;
}

/** C_UnwrapKey under a token key; a failed RFC 3394 integrity check says so in words. */
export function unwrapUnder(ctx: WorkerContext, wrapped: WrappedKeyRef, template: Template, what: string): Buffer {
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
export function unwrapToSession(ctx: WorkerContext, wrapped: WrappedKeyRef, usages: SecretKeyUsage[], extractable: boolean): Buffer {
  return unwrapUnder(ctx, wrapped, aesSessionKeyTemplate(usages, extractable), 'a working key');
}

/**
 * Runs `use` with a handle of the input key, unwrapping (and afterwards destroying) a wrapped one with the given
 * usages; `extractable` when the operation wraps the key itself.
 */
export function withAesKey<T>(
  ctx: WorkerContext,
  input: KeyInputRef,
  usages: SecretKeyUsage | SecretKeyUsage[],
  use: (key: Buffer) => T,
  extractable = false,
): T {
  if ('token' in input) return use(ctx.handles.useKey(input.token, pkcs11js.CKO_SECRET_KEY));
  const key = unwrapToSession(ctx, input.wrapped, Array.isArray(usages) ? usages : [usages], extractable);
  try {
    return use(key);
  } finally {
    ctx.handles.destroyQuietly(key);
  }
}
