/** CRLReason (RFC 5280 5.3.1). Value 7 is unused. */
export const CRL_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type CrlReason = keyof typeof CRL_REASON_CODES;

const BY_CODE = new Map<number, CrlReason>(Object.entries(CRL_REASON_CODES).map(([name, code]) => [code, name as CrlReason]));

export function crlReasonCode(reason: CrlReason): number {
  const code = CRL_REASON_CODES[reason];
  if (code === undefined) throw new TypeError(`unknown CRL reason '${String(reason)}' (known: ${Object.keys(CRL_REASON_CODES).join(', ')})`);
  return code;
}

export function crlReasonOfCode(code: number): CrlReason | undefined {
  return BY_CODE.get(code);
}
