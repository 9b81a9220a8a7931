import type { AesKeyBits } from '@smpki/hsm';
import { componentLength } from './skm-problems';

/**
 * The clear key of a split-knowledge ceremony: the XOR of its components (each custodian holds one, none alone
 * knows the key). The returned buffer is the caller's to zero once the HSM holds the key.
 */
export function combineComponents(components: readonly string[], bits: AesKeyBits): Buffer {
  if (components.some((hex) => hex.length !== bits / 4 || !/^[0-9A-Fa-f]+$/.test(hex))) throw componentLength(bits);
  const value = Buffer.alloc(bits / 8);
  for (const hex of components) {
    const component = Buffer.from(hex, 'hex');
    for (let index = 0; index < value.length; index += 1) value[index]! ^= component[index]!;
    component.fill(0);
  }
  return value;
}
