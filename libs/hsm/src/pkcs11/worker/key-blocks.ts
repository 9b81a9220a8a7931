/**
 * AES-CBC texts in which some 16-byte blocks are AES-128 keys (the SKM's key shipments inside CMS envelopes).
 *
 * Encryption: key blocks are produced by C_WrapKey with CKM_AES_CBC (IV = the previous ciphertext block), so the
 * keys never leave the token in clear.
 *
 * Decryption: the ideal is C_UnwrapKey with CKM_AES_CBC (IV = previous ciphertext block) straight into a session
 * object. SoftHSM2 does not offer it (CKR_MECHANISM_INVALID: CKM_AES_CBC wraps but does not unwrap there), so on such
 * a module the fallback decrypts the one key block with C_Decrypt in this worker and creates the session object from
 * it at once (C_CreateObject, sensitive); the 16 clear bytes live in this worker's memory only between those two
 * calls and are wiped after, never posted to the main thread, logged or put in a message. The other blocks (the
 * shipment's header, meter ids, kinds, KCVs) are not secret and come back decrypted.
 */
import pkcs11js from 'pkcs11js';
import type { KeyBlockResult } from '../../key-manager';
import type { WorkerCall } from '../worker-protocol';
import { ckrOf } from './pkcs11-failure';
import { aesSessionKeyTemplate, usageAttributes } from './templates';
import { bytes, type WorkerContext } from './worker-context';
import { KEY_WRAP, keyUriOf, WRAP_OUTPUT_BYTES, withAesKey } from './wrapped-keys';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

const BLOCK = 16;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
/** Set once this worker's module refused CBC unwrapping: later blocks go straight to the fallback. */
let cbcUnwrapUnsupported = false;

function xorInto(target: Buffer, mask: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= mask[i]!;
}

/** The key as a session object that can be wrapped once (under the caller's key) and encrypt its KCV block. */
function keyFromBlock(ctx: WorkerContext, cek: Buffer, iv: Buffer, block: Buffer): Buffer {
  const { pkcs11, session } = ctx.session;
  const mechanism = { mechanism: pkcs11js.CKM_AES_CBC, parameter: iv };
  if (!cbcUnwrapUnsupported) {
    try {
      return pkcs11.C_UnwrapKey(session, mechanism, cek, block, [
        ...aesSessionKeyTemplate(['encrypt'], true),
        { type: pkcs11js.CKA_VALUE_LEN, value: BLOCK },
      ]);
    } catch (error) {
      if (ckrOf(error) !== 'CKR_MECHANISM_INVALID') throw error;
      cbcUnwrapUnsupported = true;
    }
  }
  pkcs11.C_DecryptInit(session, mechanism, cek);
  const value = pkcs11.C_Decrypt(session, block, Buffer.alloc(BLOCK));
  try {
    return pkcs11.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      ...usageAttributes(['encrypt']),
      { type: pkcs11js.CKA_VALUE, value },
    ]);
  } finally {
    value.fill(0);
  }
}

function wrapAndCheck(ctx: WorkerContext, key: Buffer, wrappingKey: Buffer): { wrapped: Buffer; kcv: string } {
  const { pkcs11, session } = ctx.session;
  const wrapped = pkcs11.C_WrapKey(session, KEY_WRAP, wrappingKey, key, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES));
  pkcs11.C_EncryptInit(session, { mechanism: pkcs11js.CKM_AES_ECB }, key);
  const check = pkcs11.C_Encrypt(session, ZERO_BLOCK, Buffer.allocUnsafe(BLOCK));
  return { wrapped, kcv: check.subarray(0, 3).toString('hex').toUpperCase() };
}

/** Every non-key block in one C_Decrypt (ECB), each XORed with the ciphertext block before it (CBC). */
function decryptOtherBlocks(ctx: WorkerContext, cek: Buffer, iv: Buffer, data: Buffer, keyBlocks: ReadonlySet<number>): Buffer {
  const count = data.length / BLOCK;
  const others = [...Array(count).keys()].filter((index) => !keyBlocks.has(index));
  const plaintext = Buffer.alloc(data.length);
  if (others.length === 0) return plaintext;
  const { pkcs11, session } = ctx.session;
  pkcs11.C_DecryptInit(session, { mechanism: pkcs11js.CKM_AES_ECB }, cek);
  const decrypted = pkcs11.C_Decrypt(session, Buffer.concat(others.map((index) => data.subarray(index * BLOCK, (index + 1) * BLOCK))), Buffer.alloc(others.length * BLOCK));
  others.forEach((index, position) => {
    const block = plaintext.subarray(index * BLOCK, (index + 1) * BLOCK);
    decrypted.copy(block, 0, position * BLOCK, (position + 1) * BLOCK);
    xorInto(block, index === 0 ? iv : data.subarray((index - 1) * BLOCK, index * BLOCK));
  });
  return plaintext;
}

export function cbcDecryptKeyBlocks(ctx: WorkerContext, call: Call<'cbcDecryptKeyBlocks'>): { plaintext: Buffer; keys: KeyBlockResult[] } {
  return ctx.session.execute(`AES-CBC decryption of key blocks with ${keyUriOf(call.key)}`, () =>
    withAesKey(ctx, call.key, ['decrypt', 'unwrap'], (cek) => {
      const data = bytes(call.data);
      const iv = bytes(call.iv);
      const plaintext = decryptOtherBlocks(ctx, cek, iv, data, new Set(call.keyBlocks));
      const wrappingKey = ctx.handles.useKey(call.wrappingKey, pkcs11js.CKO_SECRET_KEY);
      const keys = call.keyBlocks.map((index) => {
        const previous = index === 0 ? iv : data.subarray((index - 1) * BLOCK, index * BLOCK);
        const key = keyFromBlock(ctx, cek, Buffer.from(previous), data.subarray(index * BLOCK, (index + 1) * BLOCK));
        try {
          const { wrapped, kcv } = wrapAndCheck(ctx, key, wrappingKey);
          return { block: index, wrapped: { wrappingKeyUri: call.wrappingKey.uri, wrapped }, kcv };
        } finally {
          ctx.handles.destroyQuietly(key);
        }
      });
      return { plaintext, keys };
    }),
  );
}

export function cbcEncryptKeyBlocks(ctx: WorkerContext, call: Call<'cbcEncryptKeyBlocks'>): Buffer {
  return ctx.session.execute(`AES-CBC encryption of key blocks with ${keyUriOf(call.key)}`, () =>
    withAesKey(ctx, call.key, ['encrypt', 'wrap'], (cek) => {
      const { pkcs11, session } = ctx.session;
      const parts: Buffer[] = [];
      let previous = Buffer.from(bytes(call.iv));
      for (const segment of call.segments) {
        const mechanism = { mechanism: pkcs11js.CKM_AES_CBC, parameter: previous };
        let out: Buffer;
        if ('data' in segment) {
          pkcs11.C_EncryptInit(session, mechanism, cek);
          out = Buffer.from(pkcs11.C_Encrypt(session, bytes(segment.data), Buffer.alloc(segment.data.length)));
        } else {
          out = Buffer.from(withAesKey(ctx, segment.key, [], (key) => pkcs11.C_WrapKey(session, mechanism, cek, key, Buffer.alloc(WRAP_OUTPUT_BYTES)), true));
        }
        parts.push(out);
        previous = Buffer.from(out.subarray(out.length - BLOCK));
      }
      return Buffer.concat(parts);
    }),
  );
}
