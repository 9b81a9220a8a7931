/**
 * What happens to a meter item whose request is valid, given the meter as stored (if it is): the whole
 * idempotency rule of the registry in one place.
 */
import type { CrlReason } from '@smpki/crypto';
import type { ProblemException } from '@smpki/platform';
import type { Meter } from './entities';
import { foreignMeter, keyMismatch, keyReused, meterRetired } from './registry-problems';

export type RegistrationDecision =
  | { kind: 'new' }
  | { kind: 'existing'; meter: Meter }
  | { kind: 'replace'; meter: Meter; reason: CrlReason }
  | { kind: 'refuse'; problem: ProblemException };

/**
 * `keyHolder`: the meter already certified with this key, if any. A key belongs to one meter: the same key for
 * another meter id is refused, whoever holds it.
 */
export function decideRegistration(
  manufacturerId: string,
  meterId: string,
  keyFingerprint: string,
  stored: Meter | undefined,
  keyHolder: Meter | undefined,
  replacementReason?: CrlReason,
): RegistrationDecision {
  if (keyHolder && keyHolder.meterId !== meterId) return { kind: 'refuse', problem: keyReused(meterId) };
  if (!stored) return { kind: 'new' };
  if (stored.manufacturerId !== manufacturerId) return { kind: 'refuse', problem: foreignMeter(meterId) };
  if (stored.status === 'retired') return { kind: 'refuse', problem: meterRetired(meterId) };
  // The same key again (a repeated batch, a repeated replacement): the stored certificate is the answer.
  if (stored.keyFingerprint === keyFingerprint && stored.certificateSerial) return { kind: 'existing', meter: stored };
  if (!replacementReason || !stored.certificateSerial) return { kind: 'refuse', problem: keyMismatch(meterId) };
  return { kind: 'replace', meter: stored, reason: replacementReason };
}
