import type { KeyInput, KeyManager } from '@smpki/hsm';

const ZERO_BLOCK = new Uint8Array(16);

/**
 * The key check value: the first 3 bytes of AES-ECB(key, 0^16), uppercase hex (the usual KCV of payment and
 * metering key ceremonies). Computed in the HSM, so a wrapped key is checked without being unwrapped outside it.
 */
export async function keyCheckValue(keys: KeyManager, key: KeyInput): Promise<string> {
  return (await keys.aesEcbEncryptBlock(key, ZERO_BLOCK)).subarray(0, 3).toString('hex').toUpperCase();
}
