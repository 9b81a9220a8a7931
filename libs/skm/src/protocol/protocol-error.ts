/** Typed failures of the metering protocols, so that callers map them to a problem response or an audit entry. */
export type ProtocolErrorCode =
  /** The bytes do not have the structure the protocol defines. */
  | 'malformed'
  /** Well-formed, but a variant smpki does not implement (another DLMS suite, an OMS security mode). */
  | 'unsupported'
  /** A GCM tag or an OMS MAC does not verify: wrong key, or altered data. */
  | 'authentication-failed'
  /** An invocation counter not above the last one accepted: a replay. */
  | 'replayed-counter'
  /** Decryption gave data without the expected plaintext marker (OMS 2F2F): wrong key. */
  | 'decryption-failed';

export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A GCM tag or a (truncated) CMAC that does not verify. */
export class AuthenticationFailedError extends ProtocolError {
  override readonly name = 'AuthenticationFailedError';
  constructor(message: string) {
    super('authentication-failed', message);
  }
}

/** A counter at or below the last accepted one. */
export class ReplayedCounterError extends ProtocolError {
  override readonly name = 'ReplayedCounterError';
  constructor(
    message: string,
    readonly last: number,
    readonly received: number,
  ) {
    super('replayed-counter', message);
  }
}

export function malformed(message: string): never {
  throw new ProtocolError('malformed', message);
}
