/** The 4xx answers of shipment import and export; security relevant, so recorded in the audit trail as refusals. */
import { ProblemException, type FieldError } from '@smpki/platform';

const TYPE = 'skm-shipment-refused';

export function shipmentRefused(status: number, field: string, rule: string, message: string): ProblemException {
  return new ProblemException({ status, type: TYPE, title: 'Shipment refused', detail: `${field}: ${message}`, errors: [{ field, rule, message }], recordRefusal: true });
}

/** Per-key refusals: the whole shipment (or range) is refused and nothing is stored. */
export function keysRefused(errors: FieldError[]): ProblemException {
  const detail = `${errors.length} key(s) refused, nothing stored: ${errors.slice(0, 5).map((e) => `${e.field} ${e.rule}`).join(', ')}${errors.length > 5 ? ', ...' : ''}`;
  return new ProblemException({ status: 422, type: TYPE, title: 'Shipment refused', detail, errors, recordRefusal: true });
}
