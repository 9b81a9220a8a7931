/** The BER tags of the LDAP messages the directory reads and writes itself (RFC 4511 appendix B). */
export const BerTag = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  enumerated: 0x0a,
  sequence: 0x30,
  set: 0x31,
  searchRequest: 0x63,
  searchResultEntry: 0x64,
  searchResultDone: 0x65,
  filterPresent: 0x87,
  filterEquality: 0xa3,
} as const;
