/**
 * The parameter of Security Setup (class 64, OBIS 0.0.43.0.0.255) method 2 `global_key_transfer`
 * (IEC 62056-6-2): array of key_data { key_id: enum, key_wrapped: octet-string }, each new key wrapped by
 * RFC 3394 under the meter's KEK. The wrapping happens in the HSM; KEK and new keys may be stored wrapped.
 */
import type { KeyInput, KeyManager } from '@smpki/hsm';
import { AxdrTag, encodeLength, octetString } from './axdr';
import { malformed } from './protocol-error';

/** key_id of key_data: which key the meter replaces. */
export const DlmsKeyId = {
  globalUnicastEncryption: 0,
  globalBroadcastEncryption: 1,
  authentication: 2,
  masterKek: 3,
} as const;
export type DlmsKeyId = (typeof DlmsKeyId)[keyof typeof DlmsKeyId];

export interface WrappedKeyData {
  keyId: DlmsKeyId;
  /** RFC 3394 output under the KEK. */
  keyWrapped: Uint8Array;
}

/** A-XDR: 01 n (02 02 16 id 09 len wrapped)*. */
export function encodeKeyTransferParameter(keys: WrappedKeyData[]): Buffer {
  if (keys.length === 0) malformed('global_key_transfer needs at least one key');
  const seen = new Set<number>();
  const items = keys.map(({ keyId, keyWrapped }) => {
    if (!Number.isInteger(keyId) || keyId < 0 || keyId > 3) malformed(`key_id is 0..3, got ${keyId}`);
    if (seen.has(keyId)) malformed(`key_id ${keyId} appears twice`);
    seen.add(keyId);
    return Buffer.concat([Buffer.from([AxdrTag.structure, 2, AxdrTag.enum, keyId]), octetString(keyWrapped)]);
  });
  return Buffer.concat([Buffer.from([AxdrTag.array]), encodeLength(items.length), ...items]);
}

/** Wraps each new key under the KEK in the HSM and encodes the method parameter. */
export async function globalKeyTransferParameter(km: KeyManager, kek: KeyInput, keys: Array<{ keyId: DlmsKeyId; key: KeyInput }>): Promise<Buffer> {
  const wrapped: WrappedKeyData[] = [];
  for (const { keyId, key } of keys) wrapped.push({ keyId, keyWrapped: await km.wrapKeyUnder(kek, key) });
  return encodeKeyTransferParameter(wrapped);
}
