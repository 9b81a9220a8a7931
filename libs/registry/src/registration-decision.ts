/**
 * What happens to a meter item whose request is valid, given the meter as stored (if it is): the whole
 * idempotency rule of the registry in one place.
 */
import type { CrlReason } from '@smpki/crypto';
import type { ProblemException } from '@smpki/platform';
import type { Meter } from './entities';
import { foreignMeter, keyMismatch, meterRetired } from './registry-problems';

export type RegistrationDecision =
  | { kind: 'new' }
  | { kind: 'existing'; meter: Meter }
  | { kind: 'replace'; meter: Meter; reason: CrlReason }
  | { kind: 'refuse'; problem: ProblemException };

export function decideRegistration(manufacturerId: string, meterId: string, keyFingerprint: string, stored: Meter | undefined, replacementReason?: CrlReason): RegistrationDecision {
  if (!stored) return { kind: 'new' };
  if (stored.manufacturerId !== manufacturerId) return { kind: 'refuse', problem: foreignMeter(meterId) };
  if (stored.status === 'retired') return { kind: 'refuse', problem: meterRetired(meterId) };
  // The same key again (a repeated batch, a repeated replacement): the stored certificate is the answer.
  if (stored.keyFingerprint === keyFingerprint && stored.certificateSerial) return { kind: 'existing', meter: stored };
  if (!replacementReason || !stored.certificateSerial) return { kind: 'refuse', problem: keyMismatch(meterId) };
  return { kind: 'replace', meter: stored, reason: replacementReason };
}
