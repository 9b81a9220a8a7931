/** Lookup, listing, destruction and health in a worker; and the retry-safe check that precedes every creation. */
import pkcs11js from 'pkcs11js';
import type { KeyInfo, KeyManagerHealth } from '../../key-manager';
import { HsmError } from '../../hsm-error';
import type { KeyRef, WorkerCall } from '../worker-protocol';
import { readKeyInfo } from './key-info';
import { CKS_RO_USER_FUNCTIONS, CKS_RW_USER_FUNCTIONS } from './token-session';
import type { WorkerContext } from './worker-context';

type Call<Op extends WorkerCall['op']> = Extract<WorkerCall, { op: Op }>;

/**
 * Before creating `key`: true if it exists and this is a retry (the first attempt, which checked that the name
 * was free, created it, so it must not be created twice); throws 'exists' if it exists on a first attempt.
 */
export function createdByEarlierAttempt(ctx: WorkerContext, key: KeyRef, retried: boolean): boolean {
  if (ctx.handles.findTokenObjects(key).length === 0) return false;
  if (retried) return true;
  throw new HsmError('exists', `${key.uri} already exists in the token`);
}

/** Which half a URI without `type=` means: the private or secret key, else the public key. */
const KIND_PREFERENCE: ReadonlyArray<KeyInfo['kind']> = ['ec-private', 'aes', 'ec-public'];

export function findKey(ctx: WorkerContext, call: Call<'findKey'>): KeyInfo | undefined {
  return ctx.session.execute(`looking up ${call.key.uri}`, () => {
    const infos = ctx.handles
      .findTokenObjects(call.key)
      .map((handle) => readKeyInfo(ctx.session, handle, ctx.tokenLabel))
      .filter((info): info is KeyInfo => info !== undefined);
    return infos.sort((a, b) => KIND_PREFERENCE.indexOf(a.kind) - KIND_PREFERENCE.indexOf(b.kind))[0];
  });
}

const CLASSES_BY_KIND: Record<KeyInfo['kind'], number> = {
  'ec-private': pkcs11js.CKO_PRIVATE_KEY,
  'ec-public': pkcs11js.CKO_PUBLIC_KEY,
  aes: pkcs11js.CKO_SECRET_KEY,
};

export function listKeys(ctx: WorkerContext, call: Call<'listKeys'>): KeyInfo[] {
  return ctx.session.execute('listing the keys of the token', () => {
    const classes = call.kind !== undefined ? [CLASSES_BY_KIND[call.kind]] : Object.values(CLASSES_BY_KIND);
    const infos: KeyInfo[] = [];
    for (const objectClass of classes) {
      for (const handle of ctx.handles.find([{ type: pkcs11js.CKA_CLASS, value: objectClass }])) {
        const info = readKeyInfo(ctx.session, handle, ctx.tokenLabel);
        if (info && (call.kind === undefined || info.kind === call.kind)) infos.push(info);
      }
    }
    return infos.sort((a, b) => a.label.localeCompare(b.label) || KIND_PREFERENCE.indexOf(a.kind) - KIND_PREFERENCE.indexOf(b.kind));
  });
}

export function destroyKey(ctx: WorkerContext, call: Call<'destroyKey'>): number {
  return ctx.session.execute(`destroying ${call.key.uri}`, () => {
    // Our own session copies go first, so nothing keeps using the key through this worker.
    ctx.handles.invalidate([call.key.label]);
    const objects = ctx.handles.findTokenObjects(call.key);
    for (const handle of objects) ctx.session.pkcs11.C_DestroyObject(ctx.session.session, handle);
    return objects.length;
  });
}

export function health(ctx: WorkerContext): KeyManagerHealth {
  return ctx.session.execute(`checking token '${ctx.tokenLabel}'`, () => {
    const token = ctx.session.pkcs11.C_GetTokenInfo(ctx.session.slot);
    const session = ctx.session.pkcs11.C_GetSessionInfo(ctx.session.session);
    const loggedIn = session.state === CKS_RW_USER_FUNCTIONS || session.state === CKS_RO_USER_FUNCTIONS;
    const detail = `${token.manufacturerID.trimEnd()} ${token.model.trimEnd()} serial ${token.serialNumber.trimEnd()}`;
    return loggedIn ? { ok: true, token: ctx.tokenLabel, detail } : { ok: false, token: ctx.tokenLabel, detail: `${detail}: the session is not logged in` };
  });
}
