/**
 * PKCS#11 return values in words. pkcs11js reports failures as `CKR_NAME` with the number; smpki's messages say
 * what the value means so that an operator does not need the specification open to read a log line.
 */
import pkcs11js from 'pkcs11js';

const SENTENCES: Record<string, string> = {
  CKR_ARGUMENTS_BAD: 'the module rejected the arguments',
  CKR_ATTRIBUTE_READ_ONLY: 'the attribute cannot be changed',
  CKR_ATTRIBUTE_SENSITIVE: 'the attribute is sensitive and cannot be read',
  CKR_ATTRIBUTE_TYPE_INVALID: 'the attribute does not exist for this object',
  CKR_ATTRIBUTE_VALUE_INVALID: 'an attribute value is invalid',
  CKR_CRYPTOKI_ALREADY_INITIALIZED: 'the module is already initialised',
  CKR_CRYPTOKI_NOT_INITIALIZED: 'the module is not initialised (it was finalised)',
  CKR_DATA_INVALID: 'the input data is invalid for the mechanism',
  CKR_DATA_LEN_RANGE: 'the input data has a length the mechanism does not accept',
  CKR_DEVICE_ERROR: 'the device reported an error',
  CKR_DEVICE_MEMORY: 'the device is out of memory',
  CKR_DEVICE_REMOVED: 'the device was removed',
  CKR_DOMAIN_PARAMS_INVALID: 'the curve parameters are not supported',
  CKR_ENCRYPTED_DATA_INVALID: 'the encrypted data is invalid',
  CKR_ENCRYPTED_DATA_LEN_RANGE: 'the encrypted data has an invalid length',
  CKR_FUNCTION_FAILED: 'the function failed in the module',
  CKR_FUNCTION_NOT_SUPPORTED: 'the module does not support this function',
  CKR_GENERAL_ERROR: 'the module reported a general error',
  CKR_HOST_MEMORY: 'the host is out of memory',
  CKR_KEY_FUNCTION_NOT_PERMITTED: "the key's attributes do not permit this operation",
  CKR_KEY_HANDLE_INVALID: 'the key handle is invalid',
  CKR_KEY_NOT_WRAPPABLE: 'the key cannot be wrapped',
  CKR_KEY_SIZE_RANGE: 'the key size is not supported',
  CKR_KEY_TYPE_INCONSISTENT: 'the key type does not fit the mechanism',
  CKR_KEY_UNEXTRACTABLE: 'the key is not extractable',
  CKR_MECHANISM_INVALID: 'the mechanism is not supported by the token',
  CKR_MECHANISM_PARAM_INVALID: 'the mechanism parameters are not supported',
  CKR_OBJECT_HANDLE_INVALID: 'the object handle is invalid',
  CKR_OPERATION_ACTIVE: 'another operation is active in the session',
  CKR_OPERATION_NOT_INITIALIZED: 'the operation was not initialised',
  CKR_PIN_EXPIRED: 'the PIN has expired',
  CKR_PIN_INCORRECT: 'the PIN is incorrect',
  CKR_PIN_INVALID: 'the PIN has invalid characters',
  CKR_PIN_LEN_RANGE: 'the PIN has an invalid length',
  CKR_PIN_LOCKED: 'the PIN is locked',
  CKR_SESSION_CLOSED: 'the session was closed',
  CKR_SESSION_COUNT: 'the token has no more sessions available',
  CKR_SESSION_HANDLE_INVALID: 'the session handle is invalid',
  CKR_SESSION_READ_ONLY: 'the session is read-only',
  CKR_SIGNATURE_INVALID: 'the signature is invalid',
  CKR_SIGNATURE_LEN_RANGE: 'the signature has an invalid length',
  CKR_SLOT_ID_INVALID: 'the slot does not exist',
  CKR_TEMPLATE_INCOMPLETE: 'the template lacks a required attribute',
  CKR_TEMPLATE_INCONSISTENT: 'the template has conflicting attributes',
  CKR_TOKEN_NOT_PRESENT: 'the token is not present',
  CKR_TOKEN_NOT_RECOGNIZED: 'the token is not recognised',
  CKR_TOKEN_WRITE_PROTECTED: 'the token is write-protected',
  CKR_UNWRAPPING_KEY_HANDLE_INVALID: 'the unwrapping key handle is invalid',
  CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT: 'the unwrapping key type does not fit the mechanism',
  CKR_USER_ALREADY_LOGGED_IN: 'the user is already logged in',
  CKR_USER_NOT_LOGGED_IN: 'the user is not logged in',
  CKR_USER_PIN_NOT_INITIALIZED: 'the user PIN of the token is not initialised',
  CKR_WRAPPED_KEY_INVALID: 'the wrapped key is invalid',
  CKR_WRAPPED_KEY_LEN_RANGE: 'the wrapped key has an invalid length',
  CKR_WRAPPING_KEY_HANDLE_INVALID: 'the wrapping key handle is invalid',
  CKR_WRAPPING_KEY_TYPE_INCONSISTENT: 'the wrapping key type does not fit the mechanism',
};

const NAMES_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(pkcs11js as unknown as Record<string, unknown>)
    .filter((entry): entry is [string, number] => entry[0].startsWith('CKR_') && typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

/** `CKR_PIN_INCORRECT` for 0xA0; vendor and unknown values as `CKR_0x80000001`. */
export function ckrName(code: number): string {
  return NAMES_BY_CODE.get(code) ?? `CKR_0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The meaning of a return value in a few words, for messages. */
export function ckrSentence(name: string): string {
  return SENTENCES[name] ?? (name.startsWith('CKR_0x') ? 'the module returned a vendor-specific error' : `the module returned ${name}`);
}

/** `signing with X failed: the session handle is invalid (CKR_SESSION_HANDLE_INVALID)`. */
export function describeCkr(action: string, name: string): string {
  return `${action} failed: ${ckrSentence(name)} (${name})`;
}
