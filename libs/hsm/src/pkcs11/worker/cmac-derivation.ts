/**
 * AES-CMAC key derivation inside the token (OMS mode 7, BSI TR-03116-3: Kenc/Kmac = CMAC(K, one 16-byte block)).
 *
 * PKCS#11 has no CMAC-based C_DeriveKey on SoftHSM (no SP 800-108 KDF), but for one complete block RFC 4493 gives
 * CMAC(K, M) = AES_K(M xor K1), with K1 the subkey from L = AES_K(0^128). C_DeriveKey with
 * CKM_AES_CBC_ENCRYPT_DATA (IV 0, one block: the same as CKM_AES_ECB_ENCRYPT_DATA, whose parameter pkcs11js cannot
 * pass) computes AES_K(M xor K1) as a new key object, so the derived keys never leave the token in clear.
 * The subkey K1 (a doubling of L) is the one value computed in host memory: in this worker, wiped after use. It is
 * constant per K but reveals nothing of K, and no CMAC(K, .) output is ever exposed to use it against.
 */
import pkcs11js from 'pkcs11js';
import type { Template } from 'pkcs11js';
import type { WrappedKey } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import type { WorkerCall } from '../worker-protocol';
import { aesSessionKeyTemplate } from './templates';
import { bytes, type WorkerContext } from './worker-context';
import { KEY_WRAP, keyUriOf, WRAP_OUTPUT_BYTES, withAesKey } from './wrapped-keys';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

const BLOCK = 16;
/** RFC 4493 R_b for 128-bit blocks. */
const RB = 0x87;

/** RFC 4493 §2.3: K1 = L << 1, xor R_b if the top bit of L was set. */
function firstSubkey(l: Buffer): Buffer {
  const k1 = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) k1[i] = ((l[i]! << 1) | (i + 1 < BLOCK ? l[i + 1]! >> 7 : 0)) & 0xff;
  if (l[0]! & 0x80) k1[BLOCK - 1]! ^= RB;
  return k1;
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((byte, i) => byte ^ b[i]!));
}

/** The derived key: sensitive, extractable only so that it can leave wrapped; destroyed by the caller. */
function derivedKeyTemplate(): Template {
  return aesSessionKeyTemplate(['encrypt', 'decrypt', 'sign', 'verify'], true, 128);
}

function deriveOne(ctx: WorkerContext, base: Buffer, input: Buffer, wrappingKey: Buffer): Buffer {
  const { pkcs11, session } = ctx.session;
  const mechanism = { mechanism: pkcs11js.CKM_AES_CBC_ENCRYPT_DATA, parameter: { type: pkcs11js.CK_PARAMS_AES_CBC, iv: Buffer.alloc(BLOCK), data: input } };
  const derived = pkcs11.C_DeriveKey(session, mechanism, base, derivedKeyTemplate());
  try {
    return pkcs11.C_WrapKey(session, KEY_WRAP, wrappingKey, derived, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES));
  } finally {
    ctx.handles.destroyQuietly(derived);
  }
}

export function deriveAesKeysByCmac(ctx: WorkerContext, call: Call<'deriveAesKeysByCmac'>): WrappedKey[] {
  if (call.blocks.some((block) => block.length !== BLOCK)) throw new HsmError('invalid-input', 'CMAC key derivation takes complete 16-byte blocks');
  return ctx.session.execute(`deriving ${call.blocks.length} key(s) by AES-CMAC from ${keyUriOf(call.base)}`, () =>
    withAesKey(ctx, call.base, ['encrypt', 'derive'], (base) => {
      const { pkcs11, session } = ctx.session;
      const wrappingKey = ctx.handles.useKey(call.wrappingKey, pkcs11js.CKO_SECRET_KEY);
      pkcs11.C_EncryptInit(session, { mechanism: pkcs11js.CKM_AES_ECB }, base);
      const l = pkcs11.C_Encrypt(session, Buffer.alloc(BLOCK), Buffer.alloc(BLOCK));
      const k1 = firstSubkey(l);
      l.fill(0);
      try {
        return call.blocks.map((block) => {
          const input = xor(bytes(block), k1);
          try {
            return { wrappingKeyUri: call.wrappingKey.uri, wrapped: deriveOne(ctx, base, input, wrappingKey) };
          } finally {
            input.fill(0);
          }
        });
      } finally {
        k1.fill(0);
      }
    }),
  );
}
