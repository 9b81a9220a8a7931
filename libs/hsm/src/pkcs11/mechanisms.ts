/** PKCS#11 mechanisms by name, and the set smpki needs from a module. */
import pkcs11js from 'pkcs11js';
import { HsmError } from '../hsm-error';

/** What smpki's key manager uses; open() refuses a module that lacks any of them (unless the config says otherwise). */
export const DEFAULT_REQUIRED_MECHANISMS: readonly string[] = [
  'CKM_EC_KEY_PAIR_GEN',
  'CKM_ECDSA',
  'CKM_AES_KEY_GEN',
  'CKM_AES_KEY_WRAP',
  'CKM_AES_CMAC',
  'CKM_AES_GCM',
  'CKM_AES_CBC',
  'CKM_AES_ECB',
  'CKM_ECDH1_DERIVE',
];

const CONSTANTS = pkcs11js as unknown as Record<string, unknown>;

/** Where pkcs11js has two names for one value, the current name of the specification. */
const PREFERRED_NAMES = new Set(['CKM_EC_KEY_PAIR_GEN']);

const NAMES_BY_CODE: ReadonlyMap<number, string> = (() => {
  const names = new Map<number, string>();
  for (const [name, code] of Object.entries(CONSTANTS)) {
    if (!name.startsWith('CKM_') || typeof code !== 'number') continue;
    if (!names.has(code) || PREFERRED_NAMES.has(name)) names.set(code, name);
  }
  return names;
})();

/** `CKM_AES_GCM` or a vendor number (`0x80000001`, decimal also accepted) to its numeric value. */
export function mechanismCode(name: string): number {
  const trimmed = name.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(trimmed)) return Number(trimmed);
  const code = CONSTANTS[trimmed];
  if (!trimmed.startsWith('CKM_') || typeof code !== 'number') {
    throw new HsmError('invalid-config', `unknown PKCS#11 mechanism '${name}' (use a CKM_* name or a number such as 0x80000001)`);
  }
  return code;
}

/** `CKM_AES_GCM`, or `0x80000001` for vendor mechanisms pkcs11js has no name for. */
export function mechanismName(code: number): string {
  return NAMES_BY_CODE.get(code) ?? `0x${code.toString(16).padStart(8, '0')}`;
}
