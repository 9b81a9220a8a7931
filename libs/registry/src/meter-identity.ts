import { createHash } from 'node:crypto';
import { encodeName } from '@smpki/crypto';

/** DIN 43863-5: division, 3-letter FLAG id, 2-character fabrication block, 8-digit fabrication number. */
export const METER_ID_PATTERN = /^[0-9A-F][A-Z]{3}[0-9A-Z]{2}[0-9]{8}$/;

/** The manufacturer FLAG id inside a meter id (characters 2-4). */
export function flagIdOf(meterId: string): string {
  return meterId.slice(1, 4);
}

/** The subject of a meter certificate, from the registry (never from the request): CN and serialNumber = the id. */
export function meterSubject(meterId: string): Buffer {
  return encodeName([
    { type: 'CN', value: meterId, encoding: 'utf8' },
    { type: 'serialNumber', value: meterId, encoding: 'printable' },
  ]);
}

/** Lowercase hex SHA-256 of a SubjectPublicKeyInfo DER: how the registry recognises a key again. */
export function keyFingerprint(spki: Uint8Array): string {
  return createHash('sha256').update(spki).digest('hex');
}
