/** Elliptic-curve operations in a worker: key pair generation, public key export, ECDSA, ECDH. */
import { createHash, randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import type { ECDH1 } from 'pkcs11js';
import type { EcPublicKey } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import { curveFromEcParams, curveInfo, nodeHashName, type CurveInfo } from '../curves';
import { ecPointFromAttribute, ecSpki } from '../ec-public-key';
import { rawSignatureToDer } from '../ecdsa-signature';
import type { WorkerCall } from '../worker-protocol';
import { createdByEarlierAttempt } from './object-operations';
import { ecKeyPairTemplates, sharedSecretTemplate } from './templates';
import { bytes, type WorkerContext } from './worker-context';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

function readPublicKey(ctx: WorkerContext, handle: Buffer, keyUri: string, expected?: CurveInfo): EcPublicKey {
  const { pkcs11 } = ctx.session;
  const [params, point] = pkcs11.C_GetAttributeValue(ctx.session.session, handle, [{ type: pkcs11js.CKA_EC_PARAMS }, { type: pkcs11js.CKA_EC_POINT }]);
  const curve = curveFromEcParams(params!.value);
  if (!curve) throw new HsmError('invalid-input', `${keyUri} is on a curve smpki does not support (CKA_EC_PARAMS ${params!.value.toString('hex')})`);
  if (expected && curve.name !== expected.name) throw new HsmError('exists', `${keyUri} exists on ${curve.name}, not ${expected.name}`);
  const ecPoint = ecPointFromAttribute(point!.value, curve);
  return { keyUri, curve: curve.name, spki: ecSpki(ecPoint, curve), point: ecPoint };
}

export function createEcKeyPair(ctx: WorkerContext, call: Call<'createEcKeyPair'>, retry: boolean): EcPublicKey {
  const curve = curveInfo(call.curve);
  return ctx.session.execute(`generating ${curve.name} key pair ${call.key.uri}`, (again) => {
    if (createdByEarlierAttempt(ctx, call.key, again || retry)) {
      return readPublicKey(ctx, ctx.handles.tokenObject(call.key, pkcs11js.CKO_PUBLIC_KEY), call.key.uri, curve);
    }
    const id = call.key.id !== undefined ? Buffer.from(call.key.id, 'hex') : randomBytes(16);
    const templates = ecKeyPairTemplates(call.key.label, id, curve, call.usages);
    const pair = ctx.session.pkcs11.C_GenerateKeyPair(
      ctx.session.session,
      { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
      templates.publicKey,
      templates.privateKey,
    );
    return readPublicKey(ctx, pair.publicKey, call.key.uri);
  });
}

export function getPublicKey(ctx: WorkerContext, call: Call<'getPublicKey'>): EcPublicKey {
  return ctx.session.execute(`reading the public key ${call.key.uri}`, () =>
    readPublicKey(ctx, ctx.handles.tokenObject(call.key, pkcs11js.CKO_PUBLIC_KEY), call.key.uri),
  );
}

export function sign(ctx: WorkerContext, call: Call<'sign'>): Buffer {
  const curve = curveInfo(call.curve);
  // Hashing here rather than in the main thread spreads it over the workers; CKM_ECDSA signs the digest as given.
  const digest = call.digest !== undefined ? bytes(call.digest) : createHash(nodeHashName(call.hash ?? curve.defaultHash)).update(call.data!).digest();
  const raw = ctx.session.execute(`signing with ${call.key.uri}`, () => {
    const { pkcs11 } = ctx.session;
    const key = ctx.handles.useKey(call.key, pkcs11js.CKO_PRIVATE_KEY);
    pkcs11.C_SignInit(ctx.session.session, { mechanism: pkcs11js.CKM_ECDSA }, key);
    return pkcs11.C_Sign(ctx.session.session, digest, Buffer.allocUnsafe(2 * curve.size));
  });
  return call.format === 'der' ? rawSignatureToDer(raw) : raw;
}

export function deriveSharedSecret(ctx: WorkerContext, call: Call<'deriveSharedSecret'>): Buffer {
  const peerPoint = bytes(call.peerPoint);
  const size = (peerPoint.length - 1) / 2;
  return ctx.session.execute(`ECDH with ${call.key.uri}`, () => {
    const { pkcs11 } = ctx.session;
    const session = ctx.session.session;
    const key = ctx.handles.useKey(call.key, pkcs11js.CKO_PRIVATE_KEY);
    const parameter: ECDH1 = { type: pkcs11js.CK_PARAMS_EC_DH, kdf: pkcs11js.CKD_NULL, publicData: peerPoint };
    const secret = pkcs11.C_DeriveKey(session, { mechanism: pkcs11js.CKM_ECDH1_DERIVE, parameter }, key, sharedSecretTemplate(size));
    try {
      // Without an in-token X9.63 KDF (SoftHSM has none) the shared secret must be read for the KDF in software.
      return pkcs11.C_GetAttributeValue(session, secret, [{ type: pkcs11js.CKA_VALUE }])[0]!.value;
    } finally {
      ctx.handles.destroyQuietly(secret);
    }
  });
}
