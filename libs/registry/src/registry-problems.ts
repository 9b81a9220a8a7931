/**
 * The 4xx answers of the registry. Each names its field and rule; those that are security relevant (a meter of
 * another manufacturer, a key that does not match) are handed to the refusal recorder when they end a request.
 */
import { ProblemException } from '@smpki/platform';

export const REGISTRY_PROBLEM_TYPES = {
  meterRefused: 'meter-registration-refused',
  meterUnknown: 'meter-unknown',
  manufacturerUnknown: 'manufacturer-unknown',
  manufacturerConflict: 'manufacturer-conflict',
  notManufacturer: 'manufacturer-required',
} as const;

function meterRefused(status: number, field: string, rule: string, message: string): ProblemException {
  return new ProblemException({
    status,
    type: REGISTRY_PROBLEM_TYPES.meterRefused,
    title: 'Meter registration refused',
    detail: `${field}: ${message}`,
    errors: [{ field, rule, message }],
    recordRefusal: true,
  });
}

export function meterIdFormat(meterId: string, pattern: RegExp): ProblemException {
  return meterRefused(400, 'meterId', 'meter.id-format', `"${meterId}" is not a DIN 43863-5 meter id (${pattern.source})`);
}

export function foreignFlag(meterId: string, flagId: string): ProblemException {
  return meterRefused(403, 'meterId', 'meter.foreign-manufacturer', `${meterId} carries the FLAG id ${meterId.slice(1, 4)}, not yours (${flagId})`);
}

export function foreignMeter(meterId: string): ProblemException {
  return meterRefused(403, 'meterId', 'meter.foreign-manufacturer', `${meterId} is registered by another manufacturer`);
}

export function keyMismatch(meterId: string): ProblemException {
  return meterRefused(409, 'request', 'meter.key-mismatch', `${meterId} is certified with another key; send it as a replacement to re-enrol it`);
}

/** Every meter makes its own key pair: one key for two meters is a production fault (or a copied key). */
export function keyReused(meterId: string): ProblemException {
  return meterRefused(409, 'request', 'meter.key-reused', `the key of ${meterId} is already certified for another meter; every meter needs its own key pair`);
}

export function meterRetired(meterId: string): ProblemException {
  return meterRefused(409, 'meterId', 'meter.retired', `${meterId} is retired; a retired meter gets no certificate`);
}

/** The same meter id twice in one batch, or anywhere in one stream (its chunks share the rule). */
export function duplicateInBatch(meterId: string, first: number): ProblemException {
  return meterRefused(400, 'meterId', 'batch.duplicate-meter', `${meterId} is already item ${first} of this batch (or stream)`);
}

/** Also the answer for a meter of another manufacturer: whether an id exists elsewhere is not told. */
export function unknownMeter(meterId: string): ProblemException {
  return new ProblemException({
    status: 404,
    type: REGISTRY_PROBLEM_TYPES.meterUnknown,
    title: 'Unknown meter',
    detail: `No meter ${meterId} is registered for you`,
    errors: [{ field: 'meterId', rule: 'meter.unknown', message: `no meter ${meterId}` }],
  });
}

export function unknownManufacturer(id: string): ProblemException {
  return new ProblemException({
    status: 404,
    type: REGISTRY_PROBLEM_TYPES.manufacturerUnknown,
    title: 'Unknown manufacturer',
    detail: `No manufacturer with the id ${id}`,
    errors: [{ field: 'id', rule: 'manufacturer.unknown', message: `no manufacturer ${id}` }],
  });
}

/** A caller with the manufacturer role whose client certificate is no (longer a) registered manufacturer credential. */
export function notAManufacturer(): ProblemException {
  const message = 'meters are registered over mutual TLS with a manufacturer credential of this platform';
  return new ProblemException({
    status: 403,
    type: REGISTRY_PROBLEM_TYPES.notManufacturer,
    title: 'Manufacturer credential required',
    detail: message,
    errors: [{ field: 'certificate', rule: 'manufacturer.credential-required', message }],
    recordRefusal: true,
  });
}

export function manufacturerTaken(field: 'gln' | 'flagId', value: string): ProblemException {
  const message = `another manufacturer has the ${field} ${value}`;
  return new ProblemException({
    status: 409,
    type: REGISTRY_PROBLEM_TYPES.manufacturerConflict,
    title: 'Manufacturer exists',
    detail: message,
    errors: [{ field, rule: `manufacturer.${field === 'gln' ? 'gln' : 'flag-id'}-taken`, message }],
    recordRefusal: true,
  });
}

/** An item whose certificate and meter row could not be stored: nothing of it was issued, send it again. */
export function notStored(error: unknown): ProblemException {
  const message = `the meter and its certificate could not be stored (${(error as Error)?.message ?? String(error)}); nothing was issued for it, send it again`;
  return new ProblemException({ status: 503, type: 'meter-not-stored', title: 'Meter not stored', detail: message, errors: [{ field: 'request', rule: 'storage.failed', message }] });
}
