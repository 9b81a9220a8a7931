/**
 * One bound LDAP connection of the external publisher (ldapjs 3), with promises and the result codes the
 * publisher acts on. ldapjs emits `error` on the client for socket failures: unhandled, it would take the service
 * down, so every such event rejects the operation under way instead. Messages never carry the password.
 */
import * as ldapjs from 'ldapjs';
import { DirectoryUnavailableError } from './directory-client';

/** LDAP result codes (RFC 4511 section 4.1.9) the publisher treats as "already so". */
export const LDAP_NO_SUCH_OBJECT = 32;
export const LDAP_ENTRY_ALREADY_EXISTS = 68;

export interface LdapConnectionOptions {
  url: string;
  bindDn: string;
  password: string;
  /** PEM CA certificates trusted for ldaps:// (default: Node's trust store). */
  caCertificates?: Buffer;
  timeoutMs: number;
}

/** The part of an ldapjs 3 search entry read here (its published typings describe ldapjs 2). */
interface SearchEntry {
  attributes: ReadonlyArray<{ type: string; buffers: Buffer[] }>;
}

/** An LDAP operation failed with a result code (or the connection broke: code undefined). */
export class LdapOperationError extends DirectoryUnavailableError {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'LdapOperationError';
  }
}

function operationError(what: string, error: unknown): LdapOperationError {
  const { code, message } = error as { code?: unknown; message?: string };
  const ldapCode = typeof code === 'number' ? code : undefined;
  return new LdapOperationError(`${what}: ${message ?? String(error)}${ldapCode !== undefined ? ` (LDAP result ${ldapCode})` : ''}`, ldapCode);
}

export class LdapConnection {
  private broken: Error | undefined;

  private constructor(
    private readonly client: ldapjs.Client,
    private readonly url: string,
  ) {
    client.on('error', (error: Error) => (this.broken = error));
  }

  /** Connects and binds; rejects with the server's answer (e.g. invalidCredentials, 49) or the socket error. */
  static async open(options: LdapConnectionOptions): Promise<LdapConnection> {
    const client = ldapjs.createClient({
      url: options.url,
      connectTimeout: options.timeoutMs,
      timeout: options.timeoutMs,
      ...(options.caCertificates ? { tlsOptions: { ca: options.caCertificates } } : {}),
    });
    const connection = new LdapConnection(client, options.url);
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        for (const event of ['connectError', 'setupError', 'error']) client.once(event, (error: Error) => reject(error));
      });
    } catch (error) {
      client.destroy();
      throw operationError(`external LDAP ${options.url} not reachable`, error);
    }
    try {
      await connection.call('bind', (done) => client.bind(options.bindDn, options.password, done));
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  add(dn: string, attributes: Record<string, string | Buffer | Array<string | Buffer>>): Promise<void> {
    return this.call(`add ${dn}`, (done) => this.client.add(dn, attributes as never, done));
  }

  /** Replaces each attribute's values (RFC 4511 modify, operation replace). */
  replace(dn: string, attributes: Record<string, string | Buffer>): Promise<void> {
    const changes = Object.entries(attributes).map(
      ([type, value]) => new ldapjs.Change({ operation: 'replace', modification: new ldapjs.Attribute({ type, values: [value] as never }) }),
    );
    return this.call(`modify ${dn}`, (done) => this.client.modify(dn, changes, done));
  }

  delete(dn: string): Promise<void> {
    return this.call(`delete ${dn}`, (done) => this.client.del(dn, done));
  }

  /** The values of one attribute of one entry; undefined when the entry does not exist. */
  async read(dn: string, attribute: string): Promise<Buffer[] | undefined> {
    const entries = await this.call<SearchEntry[]>(`read ${dn}`, (done) =>
      this.client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [attribute] }, (error, response) => {
        if (error) return done(error);
        const found: SearchEntry[] = [];
        response.on('searchEntry', (entry) => found.push(entry as unknown as SearchEntry));
        response.on('error', (searchError) => done(searchError));
        response.on('end', () => done(null, found));
      }),
    ).catch((error: LdapOperationError) => {
      if (error.code === LDAP_NO_SUCH_OBJECT) return undefined;
      throw error;
    });
    if (!entries || entries.length === 0) return undefined;
    const wanted = attribute.toLowerCase();
    return entries[0]!.attributes.filter((value) => value.type.toLowerCase() === wanted).flatMap((value) => value.buffers);
  }

  close(): void {
    // unbind() also ends the socket; a broken one is just destroyed.
    if (this.broken) this.client.destroy();
    else this.client.unbind(() => this.client.destroy());
  }

  private call<T = void>(what: string, operation: (done: (error: Error | null, result?: T) => void) => void): Promise<T> {
    if (this.broken) return Promise.reject(operationError(`external LDAP ${this.url} ${what}`, this.broken));
    return new Promise<T>((resolve, reject) => {
      operation((error, result) => (error ? reject(operationError(`external LDAP ${this.url} ${what}`, error)) : resolve(result as T)));
    });
  }
}
