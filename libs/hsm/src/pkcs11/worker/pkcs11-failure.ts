/** Turns what pkcs11js throws into an HsmError whose message says what failed, in words. */
import { HsmError, type HsmErrorCode } from '../../hsm-error';
import { ckrName, describeCkr } from '../ckr-codes';

const CODE_BY_CKR: Record<string, HsmErrorCode> = {
  CKR_PIN_INCORRECT: 'login',
  CKR_PIN_LOCKED: 'login',
  CKR_PIN_EXPIRED: 'login',
  CKR_PIN_INVALID: 'login',
  CKR_PIN_LEN_RANGE: 'login',
  CKR_USER_PIN_NOT_INITIALIZED: 'login',
  CKR_SESSION_HANDLE_INVALID: 'session',
  CKR_SESSION_CLOSED: 'session',
  CKR_SESSION_COUNT: 'session',
  CKR_CRYPTOKI_NOT_INITIALIZED: 'session',
  CKR_USER_NOT_LOGGED_IN: 'session',
  CKR_DEVICE_REMOVED: 'session',
  CKR_TOKEN_NOT_PRESENT: 'session',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'not-permitted',
  CKR_KEY_UNEXTRACTABLE: 'not-permitted',
  CKR_KEY_NOT_WRAPPABLE: 'not-permitted',
  CKR_ATTRIBUTE_SENSITIVE: 'not-permitted',
  CKR_SIGNATURE_INVALID: 'integrity',
  CKR_ENCRYPTED_DATA_INVALID: 'integrity',
  CKR_WRAPPED_KEY_INVALID: 'integrity',
  CKR_MECHANISM_INVALID: 'mechanism-missing',
  CKR_DATA_LEN_RANGE: 'invalid-input',
  CKR_DATA_INVALID: 'invalid-input',
  CKR_ENCRYPTED_DATA_LEN_RANGE: 'invalid-input',
  CKR_WRAPPED_KEY_LEN_RANGE: 'invalid-input',
  CKR_ARGUMENTS_BAD: 'invalid-input',
};

/** The CKR_* name of a pkcs11js error, or undefined for anything else. */
export function ckrOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'number' && /^CKR_/.test(error.message)) return ckrName(code);
  const named = /^(CKR_[A-Z0-9_]+)/.exec(error.message);
  return named ? named[1] : undefined;
}

/**
 * `action` says what was attempted ("signing with pkcs11:token=smpki;object=x"). `codes` overrides the error
 * code for return values whose meaning depends on the operation (a GCM tag failure comes back as CKR_GENERAL_ERROR).
 */
export function toHsmError(action: string, error: unknown, codes: Partial<Record<string, HsmErrorCode>> = {}): HsmError {
  if (error instanceof HsmError) return error;
  const ckr = ckrOf(error);
  if (ckr !== undefined) return new HsmError(codes[ckr] ?? CODE_BY_CKR[ckr] ?? 'pkcs11', describeCkr(action, ckr), ckr);
  const reason = error instanceof Error ? error.message : String(error);
  return new HsmError('pkcs11', `${action} failed: ${reason}`);
}
