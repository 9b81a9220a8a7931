import { ProblemException } from '@smpki/platform';

/**
 * A serial number as callers write it (`0A:1B:...`, `0a1b...`, upper or lower case) in the form the database holds:
 * lowercase hex of the DER INTEGER's content octets, without separators.
 */
export function normalizeSerial(input: string): string {
  const hex = input.replaceAll(':', '').toLowerCase();
  if (!/^[0-9a-f]{2,42}$/.test(hex) || hex.length % 2 !== 0) {
    const message = 'a serial number is 1 to 21 octets in hexadecimal (e.g. 5f3a...)';
    throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Validation Failed', detail: message, errors: [{ field: 'serial', rule: 'serial.format', message }] });
  }
  return hex;
}
