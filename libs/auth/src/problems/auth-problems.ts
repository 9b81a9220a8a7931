import { ProblemException } from '@smpki/platform';
import type { AuthenticationError } from '../guard/authentication-error';

/** The auth module's answers as RFC 9457 problems (the platform's filter writes them as application/problem+json). */
export const AUTH_PROBLEM_TYPES = {
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
} as const;

/** 401 with RFC 6750's `WWW-Authenticate`, saying whether the token was the problem. */
export function unauthenticatedProblem(error: AuthenticationError, realm: string): ProblemException {
  const tokenError = error.reason === 'invalid-token' || error.reason === 'expired-token' ? ', error="invalid_token"' : '';
  return new ProblemException({
    status: 401,
    type: AUTH_PROBLEM_TYPES.unauthenticated,
    title: 'Unauthenticated',
    detail: error.clientDetail,
    extensions: { reason: error.reason },
    headers: { 'WWW-Authenticate': `Bearer realm="${realm}"${tokenError}` },
  });
}

/** 403 naming the refused command (absent when the handler declares none). */
export function forbiddenProblem(command: string | undefined, detail: string): ProblemException {
  return new ProblemException({
    status: 403,
    type: AUTH_PROBLEM_TYPES.forbidden,
    title: 'Forbidden',
    detail,
    extensions: command === undefined ? {} : { command },
  });
}
