import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { findGrant } from '@smpki/policy';
import type { IncomingMessage } from 'node:http';
import { AuthSettings } from '../auth-options';
import { AUTH_EVENT_ACTIONS, type AuthEvent } from '../events/auth-event-sink';
import type { Principal } from '../principal';
import { forbiddenProblem, unauthenticatedProblem } from '../problems/auth-problems';
import { AuthenticationError } from './authentication-error';
import { handlerDeclaration, handlerName } from './handler-declaration';
import { RequestAuthenticator } from './request-authenticator';
import { attachPrincipal } from './request-principal';

/**
 * The global guard, deny by default: a handler runs only if it is `@Public()`, or it declares a `@Command()` that
 * the access rules allow one of the authenticated caller's roles. Anything else is refused (401 without valid
 * credentials, 403 otherwise) and reported to the event sink.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('AccessGuard');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(RequestAuthenticator) private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    const controller = context.getClass();
    if (context.getType() !== 'http') {
      this.logger.error(`${handlerName(handler, controller)}: the access guard only handles HTTP; refusing a ${context.getType()} call`);
      throw forbiddenProblem(undefined, 'this transport is not open to callers');
    }
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const declaration = handlerDeclaration(this.reflector, handler, controller);
    if (declaration.kind === 'public') return true;
    if (declaration.kind !== 'command') {
      return this.refuseUndeclared(request, handlerName(handler, controller), declaration.kind);
    }
    const principal = await this.authenticate(request, declaration.command);
    const grant = findGrant(principal, declaration.command, this.settings.accessRules);
    if (!grant) {
      await this.report(request, { action: AUTH_EVENT_ACTIONS.requestRefused, outcome: 'denied', actor: principal.subject, details: { reason: 'command-not-allowed', command: declaration.command, roles: principal.roles } });
      const roles = principal.roles.length > 0 ? `role(s) ${principal.roles.join(', ')}` : 'no role';
      throw forbiddenProblem(declaration.command, `${roles} may not run the command "${declaration.command}"`);
    }
    attachPrincipal(request, principal);
    return true;
  }

  private async authenticate(request: IncomingMessage, command: string): Promise<Principal> {
    try {
      return await this.authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      await this.report(request, { action: AUTH_EVENT_ACTIONS.requestRefused, outcome: 'failure', details: { ...error.diagnostics, reason: error.reason, command } });
      throw unauthenticatedProblem(error, this.settings.audience);
    }
  }

  private async refuseUndeclared(request: IncomingMessage, handler: string, kind: 'undeclared' | 'conflicting'): Promise<never> {
    const problem = kind === 'undeclared' ? 'declares neither @Command() nor @Public()' : 'declares both @Command() and @Public()';
    this.logger.error(`programming error: handler ${handler} ${problem}; every request to it is refused`);
    await this.report(request, { action: AUTH_EVENT_ACTIONS.requestRefused, outcome: 'denied', details: { reason: `${kind}-handler`, handler } });
    throw forbiddenProblem(undefined, 'access to this endpoint is not declared; it is refused by default');
  }

  /** Refusals stand even when the sink fails; the failure is logged for the operator. */
  private async report(request: IncomingMessage, event: AuthEvent): Promise<void> {
    const details: Record<string, unknown> = { ...event.details, method: request.method, path: pathOf(request), remoteAddress: request.socket.remoteAddress };
    try {
      await this.settings.eventSink.record({ ...event, details });
    } catch (error) {
      this.logger.error('could not record a refused request', { action: event.action, reason: details.reason, err: (error as Error).message });
    }
    // 401s are routine (a client without its token yet); a 403 means someone tried what they may not.
    const fields = { reason: details.reason, command: details.command, method: details.method, path: details.path, actor: event.actor };
    if (event.outcome === 'failure') this.logger.log('request refused: not authenticated', fields);
    else this.logger.warn('request refused: not allowed', fields);
  }
}

/** The path without the query string (which could carry anything). */
function pathOf(request: IncomingMessage): string {
  const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '';
  return url.split('?', 1)[0]!;
}
