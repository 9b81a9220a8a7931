import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AuthSettings } from '../auth-options';
import { AUTH_EVENT_ACTIONS } from '../events/auth-event-sink';
import { readClientCertificate, type VerifiedClientCertificate } from '../mtls/client-certificate';
import type { Principal } from '../principal';
import { BearerTokenVerifier, TokenRejectedError } from '../tokens/bearer-token-verifier';
import { AuthenticationError } from './authentication-error';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Establishes the principal of a request: a bearer token when the request carries an Authorization header,
 * otherwise a client certificate verified by the TLS layer and registered in the role mapping. A request with a
 * bad token is refused even over mutual TLS: the client asked to be judged by its token.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly logger = new Logger('Auth');
  /** TLS connections whose certificate login was already reported (one login per connection, not per request). */
  private readonly reportedConnections = new WeakSet<object>();

  constructor(
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(BearerTokenVerifier) private readonly tokens: BearerTokenVerifier,
  ) {}

  async authenticate(request: IncomingMessage): Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.fromAuthorizationHeader(authorization);
    const status = readClientCertificate(request.socket);
    switch (status.kind) {
      case 'none':
        throw new AuthenticationError('missing-credentials', 'send a bearer token or a client certificate');
      case 'untrusted':
        throw new AuthenticationError('untrusted-client-certificate', 'the client certificate is not trusted', {
          tlsError: status.reason,
          subject: status.subject,
          fingerprint256: status.fingerprint256,
        });
      case 'trusted':
        return this.fromClientCertificate(status.certificate, request);
    }
  }

  private async fromAuthorizationHeader(authorization: string): Promise<Principal> {
    const match = BEARER.exec(authorization);
    if (!match) throw new AuthenticationError('invalid-token', 'the Authorization header must be "Bearer <token>"');
    try {
      return await this.tokens.verify(match[1]!);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      const [reason, detail] = error.expired ? (['expired-token', 'the bearer token has expired'] as const) : (['invalid-token', 'the bearer token is not valid'] as const);
      throw new AuthenticationError(reason, detail, { cause: error.diagnostic });
    }
  }

  private async fromClientCertificate(certificate: VerifiedClientCertificate, request: IncomingMessage): Promise<Principal> {
    const identity = {
      subject: certificate.subject,
      issuer: certificate.issuer,
      serialNumber: certificate.serialNumber,
      fingerprint256: certificate.fingerprint256,
    };
    const roles = (await this.settings.clientCertificateRoles?.resolveRoles(certificate)) ?? [];
    if (roles.length === 0) {
      // The exact subject and fingerprint go to the log so an operator can copy them into the role mapping.
      throw new AuthenticationError('unregistered-client-certificate', 'the client certificate is not registered for any role', identity);
    }
    const principal: Principal = { subject: certificate.subject, roles: Object.freeze([...roles]), authenticatedBy: 'client-certificate', certificate: identity };
    await this.reportConnectionLogin(principal, request);
    return principal;
  }

  private async reportConnectionLogin(principal: Principal, request: IncomingMessage): Promise<void> {
    if (this.reportedConnections.has(request.socket)) return;
    // Fail closed: a login the audit trail did not take is no login (the sink's error fails the request).
    await this.settings.eventSink.record({
      action: AUTH_EVENT_ACTIONS.login,
      outcome: 'success',
      actor: principal.subject,
      details: { method: 'client-certificate', roles: principal.roles, remoteAddress: request.socket.remoteAddress, ...principal.certificate },
    });
    this.reportedConnections.add(request.socket);
    this.logger.log('client certificate login', { subject: principal.subject, fingerprint256: principal.certificate?.fingerprint256, roles: principal.roles });
  }
}
