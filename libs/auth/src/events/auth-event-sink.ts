import type { EntityManager } from 'typeorm';

/**
 * Every refusal and every login is reported here; the application maps it to the audit trail. The outcomes
 * match the audit trail's: `failure` for failed authentication (401), `denied` for refused authorisation (403).
 */
export interface AuthEvent {
  /** `auth.request.refused`, `auth.login`, `auth.bootstrap.exchange`, ... */
  readonly action: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  /** Principal subject, when known. */
  readonly actor?: string;
  readonly details: Record<string, unknown>;
}

export interface AuthEventContext {
  /**
   * Set when the event belongs to a database transaction of the auth module (the bootstrap exchange): recording
   * it through this manager commits the event with the state change, or neither.
   */
  readonly entityManager?: EntityManager;
}

export interface AuthEventSink {
  record(event: AuthEvent, context?: AuthEventContext): Promise<void> | void;
}

export const AUTH_EVENT_ACTIONS = {
  requestRefused: 'auth.request.refused',
  login: 'auth.login',
  bootstrapExchange: 'auth.bootstrap.exchange',
} as const;
