import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { runInTransaction } from '@smpki/persistence';
import { IsNull, Not, type EntityManager } from 'typeorm';
import { AuthSettings } from '../auth-options';
import { BootstrapCredential } from '../entities/bootstrap-credential.entity';
import { AUTH_EVENT_ACTIONS } from '../events/auth-event-sink';
import { AuthenticationError } from '../guard/authentication-error';
import { TokenService, type IssuedToken } from '../tokens/token.service';
import { bootstrapSecretMatches, generateBootstrapSecret, hashBootstrapSecret, MAX_BOOTSTRAP_SECRET_LENGTH } from './bootstrap-secret';

/** The role the bootstrap credential grants; the administrator then enrols the real operators. */
const BOOTSTRAP_ROLES = ['administrator'] as const;

export type BootstrapCredentialStatus =
  /** A new credential: print `secret` now, it is never available again. */
  | { readonly state: 'created'; readonly credentialId: string; readonly secret: string }
  /** An unused credential exists; its secret was printed when it was created (see `renewBootstrapCredential`). */
  | { readonly state: 'pending'; readonly credentialId: string; readonly createdAt: Date }
  /** An administrator has logged in: no bootstrap credential is needed any more. */
  | { readonly state: 'administrator-exists' };

/**
 * The first administrator's way in: the embedded start calls `ensureBootstrapCredential()` and prints the secret
 * once; `exchange()` turns it into a short-lived administrator token exactly once.
 */
@Injectable()
export class BootstrapCredentialService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(AuthSettings) private readonly settings: AuthSettings,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  /** Creates a credential unless an administrator has ever logged in or an unused one already exists. */
  async ensureBootstrapCredential(): Promise<BootstrapCredentialStatus> {
    return this.transaction(async (manager) => {
      if (await administratorHasLoggedIn(manager)) return { state: 'administrator-exists' } as const;
      const pending = await manager.findOne(BootstrapCredential, { where: { consumedAt: IsNull() }, order: { createdAt: 'ASC' } });
      if (pending) return { state: 'pending', credentialId: pending.id, createdAt: pending.createdAt } as const;
      return this.create(manager);
    });
  }

  /**
   * Replaces the unused credential(s) with a new one, for an operator who lost the printed secret. Refused once
   * an administrator has logged in: from then on administrators enrol administrators.
   */
  async renewBootstrapCredential(): Promise<BootstrapCredentialStatus> {
    return this.transaction(async (manager) => {
      if (await administratorHasLoggedIn(manager)) return { state: 'administrator-exists' } as const;
      await manager.delete(BootstrapCredential, { consumedAt: IsNull() });
      return this.create(manager);
    });
  }

  /**
   * Exchanges the secret for an administrator token, once. The consume step is a conditional UPDATE (`... WHERE
   * consumed_at IS NULL`): of two concurrent exchanges, in this process or another, exactly one changes the row.
   * The token is issued and the login recorded in the same transaction, so a failure of either leaves the
   * credential unused.
   */
  async exchange(secret: string, consumedBy: string): Promise<IssuedToken> {
    const token = await this.transaction((manager) => this.consume(manager, secret, consumedBy));
    if (token instanceof AuthenticationError) {
      await this.reportFailure(token, consumedBy);
      throw token;
    }
    return token;
  }

  /** The refusal stands even if it cannot be recorded; that failure is logged. */
  private async reportFailure(error: AuthenticationError, consumedBy: string): Promise<void> {
    const event = { action: AUTH_EVENT_ACTIONS.bootstrapExchange, outcome: 'failure', details: { reason: error.reason, remoteAddress: consumedBy } } as const;
    try {
      await this.settings.eventSink.record(event);
    } catch (recordError) {
      this.logger.error('could not record a refused bootstrap exchange', { err: (recordError as Error).message });
    }
    this.logger.warn('bootstrap exchange refused', { reason: error.reason, remoteAddress: consumedBy });
  }

  private async consume(manager: EntityManager, secret: string, consumedBy: string): Promise<IssuedToken | AuthenticationError> {
    const refused = new AuthenticationError('invalid-bootstrap-credential', 'the bootstrap credential is not valid or was already used');
    if (secret.length > MAX_BOOTSTRAP_SECRET_LENGTH) return refused;
    const candidates = await manager.find(BootstrapCredential, { where: { consumedAt: IsNull() } });
    const credential = candidates.find((candidate) => bootstrapSecretMatches(secret, candidate.secretHash));
    if (!credential || !(await markConsumed(manager, credential.id, consumedBy))) return refused;
    const subject = `bootstrap:${credential.id}`;
    const token = await this.tokens.issue({ subject, roles: BOOTSTRAP_ROLES });
    await this.settings.eventSink.record(
      {
        action: AUTH_EVENT_ACTIONS.bootstrapExchange,
        outcome: 'success',
        actor: subject,
        details: { method: 'bootstrap-credential', credentialId: credential.id, roles: BOOTSTRAP_ROLES, tokenId: token.tokenId, remoteAddress: consumedBy },
      },
      { entityManager: manager },
    );
    this.logger.log('bootstrap credential exchanged for an administrator token', { credentialId: credential.id, remoteAddress: consumedBy });
    return token;
  }

  private async create(manager: EntityManager): Promise<BootstrapCredentialStatus> {
    const secret = generateBootstrapSecret();
    const credential = manager.create(BootstrapCredential, {
      id: randomUUID(),
      secretHash: hashBootstrapSecret(secret),
      createdAt: new Date(),
      consumedAt: null,
      consumedBy: null,
    });
    await manager.insert(BootstrapCredential, credential);
    return { state: 'created', credentialId: credential.id, secret };
  }

  /** Through persistence's runInTransaction: on SQLite it queues behind every other transaction of the DataSource. */
  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const dataSource = this.settings.dataSource;
    if (!dataSource) throw new Error('auth: the bootstrap credential needs a database (AuthModuleOptions.dataSource)');
    return runInTransaction(dataSource, work);
  }
}

/** Until operator accounts exist (WebAuthn), an administrator has logged in iff a bootstrap credential was used. */
async function administratorHasLoggedIn(manager: EntityManager): Promise<boolean> {
  return (await manager.count(BootstrapCredential, { where: { consumedAt: Not(IsNull()) } })) > 0;
}

/**
 * The atomic step: only the UPDATE that finds the row still unused changes it. A concurrent exchange that read
 * the same row before this one committed updates nothing (PostgreSQL re-checks the condition after the row lock;
 * SQLite runs one writer at a time) and is refused.
 */
async function markConsumed(manager: EntityManager, id: string, consumedBy: string): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(BootstrapCredential)
    .set({ consumedAt: new Date(), consumedBy: consumedBy.slice(0, 255) })
    .where('id = :id AND consumed_at IS NULL', { id })
    .execute();
  return result.affected === 1;
}
