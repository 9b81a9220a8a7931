/** The refusals of the root CA. Each names its rule, for the API's problem document and the CLI's stderr line. */
import { ProblemException } from '@smpki/platform';

export function rootCaRefused(status: number, rule: string, field: string, message: string): ProblemException {
  return new ProblemException({
    status,
    type: 'root-ca-refused',
    title: 'Root CA operation refused',
    detail: `${rule}: ${message}`,
    errors: [{ field, rule, message }],
    recordRefusal: true,
  });
}
