import type { AesKeyBits, WrappedKey } from '@smpki/hsm';
import type { MeterKeyKind } from '../entities';
import { wrongKeyLength } from './skm-problems';

/** 8 bytes as 16 hex digits: a DLMS system title, or a wM-Bus manufacturer (M) + address (A) field. */
export const METER_ID_PATTERN = /^[0-9A-Fa-f]{16}$/;

/** The DLMS/COSEM key set of IEC 62056-5-3 (key ids 0-3), generated together for a meter. */
export const DLMS_KEY_SET: readonly MeterKeyKind[] = ['dlms-guek', 'dlms-gbek', 'dlms-ak', 'dlms-kek'];

export type KeySetType = 'dlms' | 'wmbus';

export function kindsOfSet(type: KeySetType): readonly MeterKeyKind[] {
  return type === 'dlms' ? DLMS_KEY_SET : ['wmbus'];
}

/** Meter ids are stored uppercase, so `4d4d4d...` and `4D4D4D...` are one meter. */
export function normaliseMeterId(meterId: string): string {
  return meterId.toUpperCase();
}

/** DLMS suites 0/1 use AES-128 and suite 2 AES-256; wM-Bus/OMS keys are always AES-128. */
export function allowedBits(kind: MeterKeyKind): readonly AesKeyBits[] {
  return kind === 'wmbus' ? [128] : [128, 256];
}

/** The key size an RFC 3394 blob carries, or a 400 naming `field` when it is no AES key size. */
export function bitsOfWrapped(wrapped: Buffer, field: string, expected?: AesKeyBits): AesKeyBits {
  const bits = (wrapped.length - 8) * 8;
  if (bits !== 128 && bits !== 256) throw wrongKeyLength(field, expected ?? 128, wrapped.length);
  if (expected !== undefined && bits !== expected) throw wrongKeyLength(field, expected, wrapped.length);
  return bits;
}

export function wrappedKey(wrappingKeyUri: string, hex: string): WrappedKey {
  return { wrappingKeyUri, wrapped: Buffer.from(hex, 'hex') };
}
