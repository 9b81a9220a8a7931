/**
 * The 4xx answers of the crypto service. A protocol failure (a tag or MAC that does not verify, a replayed counter,
 * bytes that are not a frame) is the caller's frame, never the service's fault; the refusals that may be an attack
 * are recorded in the audit trail (`request.refused` with their rule).
 */
import { ProblemException } from '@smpki/platform';
import { ProtocolError, type ProtocolErrorCode } from '../protocol';

export const CRYPTO_PROBLEM_TYPES = { dlms: 'skm-dlms-refused', oms: 'skm-oms-refused' } as const;

type Protocol = keyof typeof CRYPTO_PROBLEM_TYPES;

interface Answer {
  status: number;
  rule: string;
  title: string;
}

const ANSWERS: Record<Protocol, Record<ProtocolErrorCode, Answer>> = {
  dlms: {
    malformed: { status: 400, rule: 'dlms.malformed', title: 'Malformed APDU' },
    unsupported: { status: 400, rule: 'dlms.unsupported', title: 'Unsupported DLMS security' },
    'authentication-failed': { status: 422, rule: 'dlms.authentication-failed', title: 'Authentication failed' },
    'replayed-counter': { status: 409, rule: 'dlms.counter-replayed', title: 'Invocation counter replayed' },
    'decryption-failed': { status: 422, rule: 'dlms.decryption-failed', title: 'Decryption failed' },
  },
  oms: {
    malformed: { status: 400, rule: 'oms.malformed', title: 'Malformed telegram' },
    unsupported: { status: 400, rule: 'oms.unsupported', title: 'Unsupported telegram' },
    'authentication-failed': { status: 422, rule: 'oms.mac-invalid', title: 'MAC invalid' },
    'replayed-counter': { status: 409, rule: 'oms.counter-replayed', title: 'Message counter replayed' },
    'decryption-failed': { status: 422, rule: 'oms.decryption-failed', title: 'Decryption failed' },
  },
};

/** The problem for a protocol failure on the request field `field`; any other error passes through unchanged. */
export function protocolProblem(protocol: Protocol, field: string, error: unknown): unknown {
  if (!(error instanceof ProtocolError)) return error;
  const { status, rule, title } = ANSWERS[protocol][error.code];
  const on = error.code === 'replayed-counter' ? (protocol === 'dlms' ? 'invocationCounter' : 'telegram') : field;
  return new ProblemException({
    status,
    type: CRYPTO_PROBLEM_TYPES[protocol],
    title,
    detail: `${on}: ${error.message}`,
    errors: [{ field: on, rule, message: error.message }],
    recordRefusal: true,
  });
}

/** Runs `operation`, turning protocol failures into problems of `protocol` on `field`. */
export async function asProblems<T>(protocol: Protocol, field: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw protocolProblem(protocol, field, error);
  }
}
