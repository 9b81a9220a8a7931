/** X.509 structure: version and serial number (RFC 5280 4.1.2.1, 4.1.2.2). */
import { error, type Finding } from '../finding';
import type { CertificateCheck } from './certificate-check';

export const checkVersion: CertificateCheck = (facts) =>
  facts.version === 3 ? [] : [error('certificate.version', `the certificate is X.509 v${facts.version}, not v3`)];

export const checkSerialNumber: CertificateCheck = (facts, { profile }) => {
  const serial = facts.serialNumber;
  if (!serial) return [];
  const findings: Finding[] = [];
  const magnitude = stripLeadingZeros(serial);
  if (serial.length === 0 || (serial[0]! & 0x80) !== 0 || magnitude.length === 0) {
    findings.push(error('serial.number', 'the serial number is not a positive integer'));
  } else if (serial.length > 20) {
    findings.push(error('serial.number', `the serial number has ${serial.length} octets, at most 20 are allowed`));
  } else if (magnitude.length < profile.serialNumber.minBytes) {
    findings.push(error('serial.number', `the serial number has ${magnitude.length} octets, the profile asks at least ${profile.serialNumber.minBytes} (random bits)`));
  }
  return findings;
};

function stripLeadingZeros(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
