/**
 * AES-GCM AADs that contain a key's value (DLMS/COSEM suite 0: SC || AK). PKCS#11 cannot feed a key object into
 * the AAD, so this is the one place where a working key's value is in host memory: in this worker only, for the
 * one operation, wiped afterwards, never returned, logged or posted to the main thread. (pkcs11js copies the AAD
 * into its own mechanism parameter, which it frees without wiping: a residue we cannot reach from here.)
 */
import pkcs11js from 'pkcs11js';
import { HsmError } from '../../hsm-error';
import type { KeyedAadRef, KeyInputRef } from '../worker-protocol';
import { readableSessionKeyTemplate } from './templates';
import { bytes, type WorkerContext } from './worker-context';
import { KEY_WRAP, unwrapUnder, WRAP_OUTPUT_BYTES } from './wrapped-keys';

function readValue(ctx: WorkerContext, handle: Buffer): Buffer {
  const [attribute] = ctx.session.pkcs11.C_GetAttributeValue(ctx.session.session, handle, [{ type: pkcs11js.CKA_VALUE }]);
  return Buffer.from(attribute!.value);
}

/** A wrapped key unwrapped readable, read and destroyed at once. */
function readWrappedKey(ctx: WorkerContext, input: Extract<KeyInputRef, { wrapped: unknown }>): Buffer {
  const handle = unwrapUnder(ctx, input.wrapped, readableSessionKeyTemplate(), 'the AAD key');
  try {
    return readValue(ctx, handle);
  } finally {
    ctx.handles.destroyQuietly(handle);
  }
}

/** A (wrappable) token key is sensitive: it goes through a one-off session wrapping key to become readable. */
function readTokenKey(ctx: WorkerContext, input: Extract<KeyInputRef, { token: unknown }>): Buffer {
  const { pkcs11, session } = ctx.session;
  const key = ctx.handles.useKey(input.token, pkcs11js.CKO_SECRET_KEY);
  const oneOff = pkcs11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_WRAP, value: true },
    { type: pkcs11js.CKA_UNWRAP, value: true },
    { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
  ]);
  try {
    let wrapped: Buffer;
    try {
      wrapped = pkcs11.C_WrapKey(session, KEY_WRAP, oneOff, key, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES));
    } catch (error) {
      if (!(error as Error).message.includes('CKR_KEY_UNEXTRACTABLE')) throw error;
      throw new HsmError('not-permitted', `${input.token.uri} cannot be part of an AAD: it is not wrappable (CKR_KEY_UNEXTRACTABLE)`, 'CKR_KEY_UNEXTRACTABLE');
    }
    const handle = pkcs11.C_UnwrapKey(session, KEY_WRAP, oneOff, wrapped, readableSessionKeyTemplate());
    try {
      return readValue(ctx, handle);
    } finally {
      ctx.handles.destroyQuietly(handle);
    }
  } finally {
    ctx.handles.destroyQuietly(oneOff);
  }
}

/** Runs `use` with prefix || value(key) || suffix, and wipes the value and the AAD afterwards. */
export function withKeyedAad<T>(ctx: WorkerContext, aad: KeyedAadRef, use: (aad: Buffer) => T): T {
  const value = 'token' in aad.key ? readTokenKey(ctx, aad.key) : readWrappedKey(ctx, aad.key);
  const assembled = Buffer.concat([bytes(aad.prefix), value, aad.suffix ? bytes(aad.suffix) : Buffer.alloc(0)]);
  value.fill(0);
  try {
    return use(assembled);
  } finally {
    assembled.fill(0);
  }
}
