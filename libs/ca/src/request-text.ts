import { ProblemException } from '@smpki/platform';

/** The problem type and title a badly encoded input is refused with. */
export interface TextProblem {
  type: string;
  title: string;
}

const REQUEST_PROBLEM: TextProblem = { type: 'certificate-request-invalid', title: 'Certificate request refused' };

/**
 * A request as JSON carries it: PEM text is passed on as is (the parser reads the label), anything else must be
 * base64 of the DER. Bad base64 is refused here rather than decoded into garbage (Buffer.from ignores bad characters).
 */
export function requestFromText(text: string, field = 'request', problem: TextProblem = REQUEST_PROBLEM): string | Buffer {
  if (text.includes('-----BEGIN')) return text;
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const message = 'must be PEM or the base64 of the DER';
    throw new ProblemException({
      status: 400,
      type: problem.type,
      title: problem.title,
      detail: `${field} ${message}`,
      errors: [{ field, rule: 'request.encoding', message }],
      recordRefusal: true,
    });
  }
  return Buffer.from(compact, 'base64');
}
