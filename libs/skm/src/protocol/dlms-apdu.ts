/**
 * Framing of ciphered DLMS APDUs (IEC 62056-5-3 §9.5): the service-specific glo-ciphering APDUs
 * (tag || length || SC || IC || information || tag, e.g. `C8 1E 30 01234567 ...` for a glo-get-request) and
 * general-glo-ciphering (0xDB || system-title as octet string || length || SC || IC || ...).
 */
import { decodeLength, encodeLength } from './axdr';
import { malformed } from './protocol-error';
import { SYSTEM_TITLE_BYTES } from './dlms-security';

/** Tags of the service-specific global ciphering APDUs, and general-glo-ciphering. */
export const GloTag = {
  getRequest: 0xc8,
  setRequest: 0xc9,
  eventNotificationRequest: 0xca,
  actionRequest: 0xcb,
  getResponse: 0xcc,
  setResponse: 0xcd,
  actionResponse: 0xcf,
  generalGloCiphering: 0xdb,
} as const;

const SERVICE_SPECIFIC_TAGS = new Set<number>([0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xcf]);

/** tag || length || protected octets. */
export function encodeGloApdu(tag: number, protectedBytes: Uint8Array): Buffer {
  if (!SERVICE_SPECIFIC_TAGS.has(tag)) malformed(`0x${tag.toString(16)} is not a service-specific glo-ciphering tag`);
  return Buffer.concat([Buffer.from([tag]), encodeLength(protectedBytes.length), protectedBytes]);
}

export function decodeGloApdu(apdu: Uint8Array): { tag: number; protectedBytes: Buffer } {
  const tag = apdu[0];
  if (tag === undefined || !SERVICE_SPECIFIC_TAGS.has(tag)) malformed(`not a service-specific glo-ciphering APDU (tag 0x${(tag ?? 0).toString(16)})`);
  const { length, next } = decodeLength(apdu, 1);
  if (next + length !== apdu.length) malformed(`the APDU says ${length} octets follow, but ${apdu.length - next} do`);
  return { tag, protectedBytes: Buffer.from(apdu.subarray(next)) };
}

/** 0xDB || 0x08 || system title || length || protected octets. */
export function encodeGeneralGloCiphering(systemTitle: Uint8Array, protectedBytes: Uint8Array): Buffer {
  if (systemTitle.length !== SYSTEM_TITLE_BYTES) malformed(`a system title has 8 bytes, got ${systemTitle.length}`);
  return Buffer.concat([Buffer.from([GloTag.generalGloCiphering, SYSTEM_TITLE_BYTES]), systemTitle, encodeLength(protectedBytes.length), protectedBytes]);
}

export function decodeGeneralGloCiphering(apdu: Uint8Array): { systemTitle: Buffer; protectedBytes: Buffer } {
  if (apdu[0] !== GloTag.generalGloCiphering) malformed(`not a general-glo-ciphering APDU (tag 0x${(apdu[0] ?? 0).toString(16)})`);
  const title = decodeLength(apdu, 1);
  if (title.length !== SYSTEM_TITLE_BYTES) malformed(`a system title has 8 bytes, got ${title.length}`);
  const systemTitle = Buffer.from(apdu.subarray(title.next, title.next + SYSTEM_TITLE_BYTES));
  const { length, next } = decodeLength(apdu, title.next + SYSTEM_TITLE_BYTES);
  if (next + length !== apdu.length) malformed(`the APDU says ${length} octets follow, but ${apdu.length - next} do`);
  return { systemTitle, protectedBytes: Buffer.from(apdu.subarray(next)) };
}
