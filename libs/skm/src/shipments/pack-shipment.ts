/**
 * A shipment from clear keys, for manufacturers (who hold them in clear anyway) and tests: `smpki skm shipment
 * pack`. The SKM itself never packs clear keys; its exports build the same layout inside the HSM.
 */
import { createCipheriv } from 'node:crypto';
import type { MeterKeyKind } from '../entities';
import { encodeEntryBlocks, encodeHeader } from './shipment-format';

export interface ClearShipmentKey {
  meterId: string;
  kind: MeterKeyKind;
  /** The AES-128 key. */
  key: Buffer;
  /** Default: computed from the key. */
  kcv?: string;
}

export function keyCheckValueOf(key: Buffer): string {
  const cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  return cipher.update(Buffer.alloc(16)).subarray(0, 3).toString('hex').toUpperCase();
}

export function packShipment(keys: readonly ClearShipmentKey[]): Buffer {
  const parts = [encodeHeader(keys.length)];
  for (const entry of keys) {
    if (entry.key.length !== 16) throw new Error(`${entry.meterId} ${entry.kind}: a shipped key is AES-128 (16 bytes), got ${entry.key.length}`);
    parts.push(encodeEntryBlocks(entry.meterId, entry.kind, entry.kcv ?? keyCheckValueOf(entry.key)), entry.key);
  }
  return Buffer.concat(parts);
}
