/**
 * Meter certificates for the search benchmark, a million of them without signing a million: one real
 * brainpoolP256r1 certificate made by openssl (subject CN and serialNumber = a placeholder meter id) is the
 * template, and each entry gets a copy with its own serial number and meter id patched in. The patched copies are
 * well-formed DER with the right names but their signatures no longer verify: a search benchmark serves them as
 * opaque bytes. The same patch is done in Node (the LDIF for slapd) and in SQL (the PostgreSQL load), so both
 * servers hold byte-identical certificates.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER_METER_ID = '1XXX9999999999';
/** Serial numbers are SERIAL_BASE + entry index: 8 positive bytes. */
export const SERIAL_BASE = 0x7000000000000000n;

export interface CertificateTemplate {
  der: Buffer;
  /** Offset of the 8 serial-number bytes. */
  serialOffset: number;
  /** Offsets of every occurrence of the placeholder meter id (subject and, self-signed, issuer). */
  meterIdOffsets: number[];
}

export function createCertificateTemplate(dir: string): CertificateTemplate {
  const key = join(dir, 'template.key');
  const certificate = join(dir, 'template.der');
  execFileSync('openssl', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', key]);
  const serial = `0x${SERIAL_BASE.toString(16)}`;
  const subject = `/C=DE/O=SM-Bench-PKI-DE/CN=${PLACEHOLDER_METER_ID}/serialNumber=${PLACEHOLDER_METER_ID}`;
  execFileSync('openssl', ['req', '-x509', '-new', '-key', key, '-subj', subject, '-set_serial', serial, '-days', '3650', '-outform', 'DER', '-out', certificate]);
  const der = readFileSync(certificate);
  const serialBytes = Buffer.alloc(8);
  serialBytes.writeBigUInt64BE(SERIAL_BASE);
  const serialOffset = der.indexOf(Buffer.concat([Buffer.from([0x02, 0x08]), serialBytes])) + 2;
  const meterIdOffsets: number[] = [];
  for (let at = der.indexOf(PLACEHOLDER_METER_ID); at >= 0; at = der.indexOf(PLACEHOLDER_METER_ID, at + 1)) meterIdOffsets.push(at);
  if (serialOffset < 2 || meterIdOffsets.length === 0) throw new Error('the template certificate does not hold the placeholder serial and meter id');
  return { der, serialOffset, meterIdOffsets };
}

/** The certificate of entry `index` (meter id `meterId`, 14 characters like the placeholder). */
export function meterCertificate(template: CertificateTemplate, index: number, meterId: string): Buffer {
  const der = Buffer.from(template.der);
  der.writeBigUInt64BE(SERIAL_BASE + BigInt(index), template.serialOffset);
  for (const offset of template.meterIdOffsets) der.write(meterId, offset, 'latin1');
  return der;
}

/** The same patch as a PostgreSQL expression over `$1` (the template), `serial` (bigint) and `meter_id` (text). */
export function meterCertificateSql(template: CertificateTemplate): string {
  let expression = `overlay($1::bytea placing int8send(serial) from ${template.serialOffset + 1})`;
  for (const offset of template.meterIdOffsets) expression = `overlay(${expression} placing convert_to(meter_id, 'UTF8') from ${offset + 1})`;
  return expression;
}

export const PLACEHOLDER_LENGTH = PLACEHOLDER_METER_ID.length;
