/**
 * The one error type of @smpki/hsm. `code` is stable and meant for programs (HTTP mapping, retries); `message` is
 * a sentence for people that says what failed, with which key, and why. Neither ever contains a PIN or key bytes.
 */

export type HsmErrorCode =
  /** No key with that URI exists in the token. */
  | 'not-found'
  /** A key with that URI already exists. */
  | 'exists'
  /** A MAC, tag or wrapped key did not verify. */
  | 'integrity'
  /** A call to the module did not answer within callTimeoutMs. */
  | 'timeout'
  /** The module lacks a mechanism the configuration requires. */
  | 'mechanism-missing'
  /** Sessions could not be opened or were lost and could not be re-established. */
  | 'session'
  /** Logging in to the token failed (wrong or locked PIN). */
  | 'login'
  /** The configured token is not present in any slot. */
  | 'token-not-found'
  /** The key exists but its attributes forbid the operation (e.g. wrapping a non-extractable key). */
  | 'not-permitted'
  /** The caller passed something malformed (bad URI, wrong IV length, unknown curve). */
  | 'invalid-input'
  /** The configuration is unusable. */
  | 'invalid-config'
  /** The key manager was closed. */
  | 'closed'
  /** No worker could be started to serve the request. */
  | 'unavailable'
  /** Any other PKCS#11 failure; `ckr` names the return value. */
  | 'pkcs11';

export class HsmError extends Error {
  override readonly name = 'HsmError';
  readonly code: HsmErrorCode;
  /** The PKCS#11 return value name (e.g. `CKR_PIN_INCORRECT`) when the failure came from the module. */
  readonly ckr?: string;

  constructor(code: HsmErrorCode, message: string, ckr?: string) {
    super(message);
    this.code = code;
    if (ckr !== undefined) this.ckr = ckr;
  }
}

/** The plain-object form in which errors cross the worker_threads boundary (class identity does not survive it). */
export interface HsmErrorData {
  code: HsmErrorCode;
  message: string;
  ckr?: string;
}

export function toHsmErrorData(error: HsmError): HsmErrorData {
  return error.ckr === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, ckr: error.ckr };
}

export function fromHsmErrorData(data: HsmErrorData): HsmError {
  return new HsmError(data.code, data.message, data.ckr);
}
