/**
 * CMS key agreement (RFC 5753 ephemeral-static ECDH, ANSI X9.63 KDF, id-aes128-wrap) in a worker.
 *
 * What stays in the token and what does not, on SoftHSM2 (which lists neither an ECDH KDF other than CKD_NULL,
 * nor CKM_CONCATENATE_BASE_AND_DATA, nor a SHA key derivation):
 * - the shared secret Z is derived (CKD_NULL) into a sensitive, non-extractable GENERIC_SECRET session object and
 *   never read: the KDF hashes it with C_DigestKey inside the token, followed by C_DigestUpdate(counter || SharedInfo);
 * - the digest, i.e. the KEK, is the one value that exists in this worker's memory: from C_DigestFinal until it is
 *   turned into a sensitive AES session object (C_CreateObject), then wiped. It never reaches the main thread, a log
 *   or a message (pkcs11js's own copies of the digest and the template are freed without wiping: a residue we cannot
 *   reach from here);
 * - the content-encryption key is unwrapped (CKM_AES_KEY_WRAP) into a session object and leaves the token only
 *   wrapped. A token with CKM_ECDH1_DERIVE + CKD_SHA*_KDF would not need the digest step.
 */
import pkcs11js from 'pkcs11js';
import type { ECDH1 } from 'pkcs11js';
import type { KdfHash } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import { curveInfo } from '../curves';
import { ecPointFromAttribute } from '../ec-public-key';
import type { WorkerCall } from '../worker-protocol';
import { ckrOf } from './pkcs11-failure';
import { aesSessionKeyTemplate, usageAttributes } from './templates';
import { bytes, type WorkerContext } from './worker-context';
import { INTEGRITY_FAILURES, KEY_WRAP, keyUriOf, WRAP_OUTPUT_BYTES, withAesKey } from './wrapped-keys';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

const DIGEST_MECHANISMS: Record<KdfHash, { mechanism: number; bytes: number }> = {
  'SHA-1': { mechanism: pkcs11js.CKM_SHA_1, bytes: 20 },
  'SHA-256': { mechanism: pkcs11js.CKM_SHA256, bytes: 32 },
};
/** id-aes128-wrap: the KEK is the first 16 bytes of the KDF output (one hash block suffices). */
const KEK_BYTES = 16;
const COUNTER_1 = Buffer.from([0, 0, 0, 1]);

/** Z = ECDH x-coordinate as a sensitive session secret that only C_DigestKey consumes. */
function deriveSharedSecretObject(ctx: WorkerContext, privateKey: Buffer, peerPoint: Buffer): Buffer {
  const parameter: ECDH1 = { type: pkcs11js.CK_PARAMS_EC_DH, kdf: pkcs11js.CKD_NULL, publicData: peerPoint };
  return ctx.session.pkcs11.C_DeriveKey(ctx.session.session, { mechanism: pkcs11js.CKM_ECDH1_DERIVE, parameter }, privateKey, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_VALUE_LEN, value: (peerPoint.length - 1) / 2 },
  ]);
}

/** X9.63 KDF over the token secret Z: the KEK as an AES-128 session object that wraps and unwraps (see header). */
function kekFromSharedSecret(ctx: WorkerContext, z: Buffer, hash: KdfHash, sharedInfo: Buffer): Buffer {
  const { pkcs11, session } = ctx.session;
  const digest = DIGEST_MECHANISMS[hash];
  pkcs11.C_DigestInit(session, { mechanism: digest.mechanism });
  pkcs11.C_DigestKey(session, z);
  pkcs11.C_DigestUpdate(session, Buffer.concat([COUNTER_1, sharedInfo]));
  const output = pkcs11.C_DigestFinal(session, Buffer.alloc(digest.bytes));
  const value = Buffer.from(output.subarray(0, KEK_BYTES));
  output.fill(0);
  try {
    return pkcs11.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      ...usageAttributes(['wrap', 'unwrap']),
      { type: pkcs11js.CKA_VALUE, value },
    ]);
  } finally {
    value.fill(0);
  }
}

function withKek<T>(ctx: WorkerContext, privateKey: Buffer, peerPoint: Buffer, call: { hash: KdfHash; sharedInfo: Uint8Array }, use: (kek: Buffer) => T): T {
  const z = deriveSharedSecretObject(ctx, privateKey, peerPoint);
  let kek: Buffer;
  try {
    kek = kekFromSharedSecret(ctx, z, call.hash, bytes(call.sharedInfo));
  } finally {
    ctx.handles.destroyQuietly(z);
  }
  try {
    return use(kek);
  } finally {
    ctx.handles.destroyQuietly(kek);
  }
}

export function unwrapWithKeyAgreement(ctx: WorkerContext, call: Call<'unwrapWithKeyAgreement'>): { wrappingKeyUri: string; wrapped: Buffer } {
  return ctx.session.execute(`CMS key agreement with ${call.key.uri}`, () => {
    const { pkcs11, session } = ctx.session;
    const privateKey = ctx.handles.useKey(call.key, pkcs11js.CKO_PRIVATE_KEY);
    return withKek(ctx, privateKey, bytes(call.ephemeralPoint), call, (kek) => {
      let cek: Buffer;
      try {
        cek = pkcs11.C_UnwrapKey(session, KEY_WRAP, kek, bytes(call.wrapped), aesSessionKeyTemplate([], true));
      } catch (error) {
        const ckr = ckrOf(error);
        if (ckr === undefined || !INTEGRITY_FAILURES.has(ckr)) throw error;
        throw new HsmError('integrity', `the content-encryption key does not unwrap under the agreed KEK (another recipient key, or a tampered envelope) (${ckr})`, ckr);
      }
      try {
        const wrappingKey = ctx.handles.useKey(call.wrappingKey, pkcs11js.CKO_SECRET_KEY);
        return { wrappingKeyUri: call.wrappingKey.uri, wrapped: pkcs11.C_WrapKey(session, KEY_WRAP, wrappingKey, cek, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES)) };
      } finally {
        ctx.handles.destroyQuietly(cek);
      }
    });
  });
}

export function wrapWithKeyAgreement(ctx: WorkerContext, call: Call<'wrapWithKeyAgreement'>): { ephemeralPoint: Buffer; wrapped: Buffer } {
  const curve = curveInfo(call.curve);
  return ctx.session.execute(`CMS key agreement for ${keyUriOf(call.key)}`, () => {
    const { pkcs11, session } = ctx.session;
    const pair = pkcs11.C_GenerateKeyPair(
      session,
      { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
      [
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_EC_PARAMS, value: curve.ecParams },
      ],
      [
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_DERIVE, value: true },
      ],
    );
    try {
      const ephemeralPoint = ecPointFromAttribute(pkcs11.C_GetAttributeValue(session, pair.publicKey, [{ type: pkcs11js.CKA_EC_POINT }])[0]!.value, curve);
      const wrapped = withKek(ctx, pair.privateKey, bytes(call.recipientPoint), call, (kek) =>
        withAesKey(ctx, call.key, [], (cek) => pkcs11.C_WrapKey(session, KEY_WRAP, kek, cek, Buffer.allocUnsafe(WRAP_OUTPUT_BYTES)), true),
      );
      return { ephemeralPoint, wrapped };
    } finally {
      ctx.handles.destroyQuietly(pair.privateKey);
      ctx.handles.destroyQuietly(pair.publicKey);
    }
  });
}
