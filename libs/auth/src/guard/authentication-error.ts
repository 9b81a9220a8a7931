/** Why authentication failed, as told to the client (stable codes; the full cause goes only to the log and audit). */
export type UnauthenticatedReason =
  | 'missing-credentials'
  | 'invalid-token'
  | 'expired-token'
  | 'untrusted-client-certificate'
  | 'unregistered-client-certificate'
  | 'invalid-bootstrap-credential';

/** A request whose credentials were missing or refused; answered as a 401 problem. */
export class AuthenticationError extends Error {
  /**
   * @param clientDetail the sentence the client gets.
   * @param diagnostics the full cause (jose error, TLS verification error, certificate subject): logged and
   *   audited, never sent to the client.
   */
  constructor(
    readonly reason: UnauthenticatedReason,
    readonly clientDetail: string,
    readonly diagnostics: Record<string, unknown> = {},
  ) {
    super(`authentication failed (${reason}): ${clientDetail}`);
    this.name = 'AuthenticationError';
  }
}
