/** Identifier octets of the universal types and the context-specific tags X.509 uses. */
export const DerTag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** `[n]` context-specific tag: primitive (IMPLICIT of a primitive type) or constructed (EXPLICIT, or IMPLICIT SEQUENCE). */
export function contextTag(tagNumber: number, constructed: boolean): number {
  if (tagNumber < 0 || tagNumber > 30) throw new RangeError(`context tag [${tagNumber}] needs the high-tag-number form`);
  return 0x80 | (constructed ? 0x20 : 0) | tagNumber;
}
