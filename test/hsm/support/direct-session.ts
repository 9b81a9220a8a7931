/**
 * Direct pkcs11js access from a test, beside the key manager, in the same process (so the same module instance):
 * to look at objects the way another application would, to put a key with a known value into the token (RFC test
 * vectors; the product API never imports clear keys), and to restart the module under the key manager's workers.
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11, Template } from 'pkcs11js';
import type { TestToken } from '../../support/softhsm';

export interface DirectSession {
  pkcs11: PKCS11;
  slot: Buffer;
  session: Buffer;
}

function ignoring(names: string[], call: () => void): void {
  try {
    call();
  } catch (error) {
    if (!names.some((name) => (error as Error).message.includes(name))) throw error;
  }
}

/** Opens a logged-in session, runs `use`, closes the session. Never finalises (the key manager shares the module). */
export async function withDirectSession<T>(token: TestToken, use: (direct: DirectSession) => T | Promise<T>): Promise<T> {
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(token.modulePath);
  ignoring(['CKR_CRYPTOKI_ALREADY_INITIALIZED'], () => pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK }));
  const slot = pkcs11.C_GetSlotList(true).find((candidate) => pkcs11.C_GetTokenInfo(candidate).label.trimEnd() === token.label);
  if (!slot) throw new Error(`token ${token.label} not found`);
  const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  ignoring(['CKR_USER_ALREADY_LOGGED_IN'], () => pkcs11.C_Login(session, pkcs11js.CKU_USER, token.userPin));
  try {
    return await use({ pkcs11, slot, session });
  } finally {
    ignoring(['CKR_SESSION_HANDLE_INVALID', 'CKR_CRYPTOKI_NOT_INITIALIZED'], () => pkcs11.C_CloseSession(session));
  }
}

export function findObjects(direct: DirectSession, template: Template): Buffer[] {
  direct.pkcs11.C_FindObjectsInit(direct.session, template);
  try {
    return direct.pkcs11.C_FindObjects(direct.session, 100);
  } finally {
    direct.pkcs11.C_FindObjectsFinal(direct.session);
  }
}

/** Test only: a token AES key with a known value (e.g. the RFC 3394 KEK), non-extractable. */
export function createKnownAesKey(direct: DirectSession, label: string, value: Buffer, usages: Template): Buffer {
  return direct.pkcs11.C_CreateObject(direct.session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: Buffer.from(label) },
    { type: pkcs11js.CKA_VALUE, value },
    ...usages,
  ]);
}
