import * as ldapjs from 'ldapjs';
import { createServer, InvalidCredentialsError, ProtocolError, NoSuchObjectError, SizeLimitExceededError, TimeLimitExceededError, UnwillingToPerformError, type Server } from 'ldapjs';
import type { AddressInfo } from 'node:net';
import { ancestorsOf, dnKey, parseDirectoryDn } from '../distinguished-name';
import type { DirectoryRow, DirectoryStore } from '../directory-store';
import { answerAttributes, attributeSelection, containerEntry, ldapEntryOf, type LdapEntry } from './ldap-entry';
import { SearchAnswer } from './search-answer';
import { messageEnd, readSimpleSearch } from './simple-search-request';
import { compileFilter, conditionDecidesFilter, indexedCondition, matchesEveryEntry, matchViewOf, type LdapFilter } from './search-filter';

export interface DirectoryLdapOptions {
  port: number;
  host?: string;
  /** The most entries one search returns, whatever the client asks (RFC 4511 sizeLimit 0 = this). */
  maxSizeLimit?: number;
  /** LDAPS: the server's certificate (chain) and key, PEM (brainpool or P-256, as the operator's PKI has it). */
  tls?: { certificate: string; key: string };
  /** The longest a search runs, in seconds, whatever the client asks (timeLimit 0 = this). */
  maxTimeLimitSeconds?: number;
  /**
   * How long the container entries (derived from the CA entries) are reused between searches, in ms. A CA ingested
   * through this replica drops them at once; replicas sharing the database see a new CA within this time.
   */
  containerCacheMs?: number;
  /** Problems that end a request or a connection (never the process). */
  onError?: (error: Error) => void;
}

// ldapjs 3 exports the paged-results control; its typings (written for ldapjs 2) do not know it.
const { PagedResultsControl } = ldapjs as unknown as { PagedResultsControl: { OID: string; new (options: { value: { size: number; cookie: Buffer } }): unknown } };
// ldapjs's SearchResultDone, for the one answer that carries a control (the end of a page).
const { SearchResponse: SearchResultDone } = ldapjs as unknown as { SearchResponse: new (options: { messageId: number }) => { controls: unknown[]; toBer(): { buffer: Buffer } } };

/** RFC 4511 protocolOp tag of a SearchRequest ([APPLICATION 3]). */
const SEARCH_REQUEST = 0x63;

// The parts of ldapjs 3 requests and responses used here (its published typings describe ldapjs 2).
type Next = (error?: unknown) => void;
interface SearchRequest {
  messageId: number;
  protocolOp: number;
  dn: { toString(): string };
  /** ldapjs 3: the RFC 4511 enumeration (0 base, 1 one level, 2 subtree), not a name. */
  scope: number | string;
  sizeLimit: number;
  timeLimit: number;
  attributes?: string[];
  filter: LdapFilter;
  controls?: Array<{ type: string; value?: { size?: number; cookie?: Buffer } }>;
}
interface SearchResponse {
  end(): void;
}

interface GuardedSocket {
  /** ldapjs keeps the bytes of a message not yet complete in `buffer`. */
  parser?: { write(data: Buffer): void; buffer?: Buffer | null; emit(event: string | symbol, ...args: unknown[]): boolean };
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  removeAllListeners(event: 'data'): unknown;
  setNoDelay?(noDelay: boolean): void;
  cork?(): void;
  uncork?(): void;
  write?(...args: unknown[]): boolean;
  destroy(): void;
}

/** What an answer is written to: the client's socket. */
type Connection = ConstructorParameters<typeof SearchAnswer>[1];

/** The part of the DIT above the end entities: the container entries (c=DE, o=...) and the keys of the CA entries. */
interface UpperTree {
  containers: Map<string, LdapEntry>;
  caKeys: Set<string>;
}

const DEFAULT_MAX_SIZE_LIMIT = 1000;
const DEFAULT_MAX_TIME_LIMIT_SECONDS = 60;
const DEFAULT_CONTAINER_CACHE_MS = 2000;
/**
 * The largest LDAP request a client may send. Requests are small (a 20,000-clause filter is about 600 KiB); ldapjs
 * would otherwise buffer a message that claims gigabytes until it is complete.
 */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const PAGE_SIZE = 500;
const WRITE_OPERATIONS = ['add', 'modify', 'del', 'modifyDN'] as const;

/**
 * The read-only LDAP front end of the directory (ldapjs): anonymous bind, base/one/sub searches over the stored
 * entries and the container entries above the CAs, every write refused with unwillingToPerform. ldapjs parses the
 * requests and answers all but searches; searches are answered here, their BER written directly (search-answer.ts),
 * and those of the common shapes are read here too, from their BER (simple-search-request.ts).
 * ldapjs emits 'error' for malformed messages and broken sockets; both are handled so one bad client never ends the
 * process.
 */
export class DirectoryLdapServer {
  private readonly server: Server;
  private readonly maxSizeLimit: number;
  private containerCache?: { generation: number; expires: number; tree: Promise<UpperTree> };

  constructor(
    private readonly store: DirectoryStore,
    private readonly options: DirectoryLdapOptions,
  ) {
    this.maxSizeLimit = options.maxSizeLimit ?? DEFAULT_MAX_SIZE_LIMIT;
    const report = (error: Error) => options.onError?.(error);
    const tls = options.tls ? { certificate: options.tls.certificate, key: options.tls.key } : {};
    this.server = createServer({ ...tls, connectionRouter: (socket: GuardedSocket) => this.accept(socket, report) } as never);
    this.server.on('error', report);
    this.server.on('clientError', report);
    this.server.bind('', ((req: { dn: { toString(): string }; credentials: string }, res: SearchResponse, next: Next) => {
      // Anonymous only: there are no accounts to bind to.
      if (req.dn.toString() !== '' || req.credentials !== '') return next(new InvalidCredentialsError('only anonymous bind is supported'));
      res.end();
      return next();
    }) as never);
    for (const operation of WRITE_OPERATIONS) {
      (this.server[operation] as (dn: string, handler: unknown) => void)('', (_req: unknown, _res: unknown, next: Next) =>
        next(new UnwillingToPerformError('the directory is read-only; it is written through its ingest API')),
      );
    }
  }

  /**
   * ldapjs's parser throws (an assertion, outside any handler) on some malformed BER, which would end the process:
   * each connection's parser is wrapped so such input closes that connection only.
   */
  private accept(socket: GuardedSocket, report: (error: Error) => void): void {
    // Answers are small and pipelined: with Nagle's algorithm one would wait for the client's delayed ACK of the
    // previous (up to 40 ms per search on Linux).
    socket.setNoDelay?.(true);
    coalesceWrites(socket);
    (this.server as unknown as { newConnection(socket: GuardedSocket): void }).newConnection(socket);
    const parser = socket.parser;
    if (!parser) return;
    // ldapjs's own listener renders every chunk for its trace log (util.inspect) whatever the log level.
    socket.removeAllListeners('data');
    socket.on('data', (data) => parser.write(data));
    // Searches are answered here, the other operations by ldapjs: its dispatch renders each request for its debug
    // log (the base DN and filter formatted again) and routes it by DN, a visible share of a search's CPU.
    const emit = parser.emit;
    parser.emit = (event, ...args) => {
      const message = args[0] as SearchRequest | undefined;
      if (event === 'message' && message?.protocolOp === SEARCH_REQUEST) {
        this.answerSearch(message, socket as unknown as Connection, report);
        return true;
      }
      return emit.call(parser, event, ...args);
    };
    const write = parser.write.bind(parser);
    parser.write = (data: Buffer) => {
      const rest = parser.buffer?.length ? data : this.answerSimpleSearches(data, socket as unknown as Connection, report);
      if (rest.length === 0) return;
      try {
        write(rest);
      } catch (error) {
        report(error as Error);
        socket.destroy();
        return;
      }
      if ((parser.buffer?.length ?? 0) > MAX_REQUEST_BYTES) {
        report(new Error(`an LDAP request exceeded ${MAX_REQUEST_BYTES} bytes; connection closed`));
        socket.destroy();
      }
    };
  }

  /**
   * Answers the complete search requests of the common shapes at the start of `data` (see simple-search-request.ts)
   * and returns the bytes left for ldapjs, from the first message it must read on. Called only when ldapjs holds no
   * part of an earlier message, so `data` starts with a message.
   */
  private answerSimpleSearches(data: Buffer, connection: Connection, report: (error: Error) => void): Buffer {
    let offset = 0;
    while (offset < data.length) {
      const end = messageEnd(data, offset);
      const search = end === undefined ? undefined : readSimpleSearch(data, offset, end);
      if (!search) break;
      this.answerSearch(search, connection, report);
      offset = end!;
    }
    return offset === 0 ? data : data.subarray(offset);
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = this.server as unknown as { server: import('node:net').Server };
      server.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => {
        server.server.off('error', reject);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const server = this.server as unknown as { server: import('node:net').Server & { closeAllConnections?: () => void } };
      if (!server.server.listening) return resolve();
      server.server.close(() => resolve());
      // Idle clients would hold the close open.
      (this.server as unknown as { connections?: Set<{ destroy(): void }> }).connections?.forEach((connection) => connection.destroy());
    });
  }

  private answerSearch(req: SearchRequest, connection: Connection, report: (error: Error) => void): void {
    const answer = new SearchAnswer(req.messageId, connection);
    this.search(req, answer).catch((error: unknown) => {
      // The entries found before a size or time limit go out before the error's SearchResultDone.
      answer.flush();
      report(error as Error);
      const failure = isLdapError(error) ? error : (new UnwillingToPerformError('search failed') as unknown as { code: number; message: string });
      answer.failed(failure.code, failure.message);
    });
  }

  private async search(req: SearchRequest, answer: SearchAnswer): Promise<void> {
    const base = req.dn.toString();
    // ldapjs has parsed the DN already: its string form is canonical, so lowercasing it is dnKey without a second parse.
    const baseKey = base.toLowerCase();
    const sizeLimit = req.sizeLimit > 0 ? Math.min(req.sizeLimit, this.maxSizeLimit) : this.maxSizeLimit;
    const maxSeconds = this.options.maxTimeLimitSeconds ?? DEFAULT_MAX_TIME_LIMIT_SECONDS;
    const deadline = Date.now() + 1000 * (req.timeLimit > 0 ? Math.min(req.timeLimit, maxSeconds) : maxSeconds);
    const paging = pagingOf(req);
    // Names compare case-insensitively, `userCertificate;binary` included (ldapjs's own selection would drop it).
    const selected = attributeSelection((req.attributes ?? []).map(String));
    const scope = scopeOf(req.scope);
    const { containers, caKeys } = await this.upperTree();
    let sent = 0;
    const matches = matchesEveryEntry(req.filter) ? undefined : compileFilter(req.filter);
    // A meter row read by the filter's own equality (`(serialNumber=...)`) matches it: the filter need not be evaluated.
    const decided = conditionDecidesFilter(req.filter);
    const send = (entry: LdapEntry, meterRow = false): void => {
      if (Date.now() > deadline) throw new TimeLimitExceededError();
      if (matches && !(meterRow && decided) && !matches(matchViewOf(entry.text, Object.keys(entry.binary)), entry.text)) return;
      if (sent >= sizeLimit) throw new SizeLimitExceededError();
      answer.entry(answerDn(entry), answerAttributes(entry, selected));
      sent++;
    };
    const sendRow = (row: DirectoryRow) => send(ldapEntryOf(row), row.kind === 'certificate');
    if (scope === 'base') {
      const container = containers.get(baseKey);
      const row = container ? undefined : await this.store.findByKey(baseKey);
      if (!container && !row && baseKey !== '') throw new NoSuchObjectError(base);
      if (container) send(container);
      else if (row) sendRow(row);
      return answer.done();
    }
    // One-level and subtree searches only need to know that the base exists (the page query reads the base entry
    // itself): the root, a container and a CA entry (the usual base) are known without a query.
    const known = baseKey === '' || containers.has(baseKey) || caKeys.has(baseKey);
    if (!known && !(await this.store.findByKey(baseKey))) throw new NoSuchObjectError(base);
    // Containers first, on the first page only; then the stored entries in dn_key order, resumable from a cookie.
    if (paging.after === undefined) for (const container of containers.values()) if (inScope(container.dnKey, baseKey, scope)) send(container);
    const condition = indexedCondition(req.filter);
    for (let after = paging.after ?? ''; ; ) {
      const page = await this.store.page(scope, baseKey, after, PAGE_SIZE, condition);
      for (const row of page) {
        sendRow(row);
        if (paging.size !== undefined && sent >= paging.size) return this.endPage(answer, row.dnKey);
      }
      if (page.length < PAGE_SIZE) break;
      answer.flush();
      after = page[page.length - 1]!.dnKey;
    }
    if (paging.size !== undefined) return this.endPage(answer, undefined);
    answer.done();
  }

  /** Ends one page of a paged search (RFC 2696): the cookie resumes after `lastKey`; an empty cookie ends the search. */
  private endPage(answer: SearchAnswer, lastKey: string | undefined): void {
    const cookie = lastKey === undefined ? Buffer.alloc(0) : Buffer.from(`k:${lastKey}`, 'utf8');
    const done = new SearchResultDone({ messageId: answer.messageId });
    done.controls = [new PagedResultsControl({ value: { size: 0, cookie } })];
    answer.done(done.toBer().buffer);
  }

  /** The upper tree, reused for `containerCacheMs` (every search needs it; the CA entries rarely change). */
  private upperTree(): Promise<UpperTree> {
    const now = Date.now();
    const generation = this.store.caGeneration;
    const cached = this.containerCache;
    if (cached && cached.generation === generation && cached.expires > now) return cached.tree;
    const tree = this.loadUpperTree();
    this.containerCache = { generation, expires: now + (this.options.containerCacheMs ?? DEFAULT_CONTAINER_CACHE_MS), tree };
    // A failed read is not cached.
    tree.catch(() => {
      if (this.containerCache?.tree === tree) this.containerCache = undefined;
    });
    return tree;
  }

  /** c=DE, o=... : the ancestors of the CA entries that are not published entries themselves; and the CA keys. */
  private async loadUpperTree(): Promise<UpperTree> {
    const cas = await this.store.listCas();
    const published = new Set(cas.map((ca) => ca.dnKey));
    const containers = new Map<string, LdapEntry>();
    for (const ca of cas) {
      for (const ancestor of ancestorsOf(ca.dn)) {
        const key = dnKey(ancestor);
        if (!published.has(key) && !containers.has(key)) containers.set(key, containerEntry(ancestor, key));
      }
    }
    const sorted = new Map([...containers.entries()].sort(([a], [b]) => a.split(',').length - b.split(',').length));
    return { containers: sorted, caKeys: published };
  }
}

/**
 * Answers finished in the same tick (the searches answered by one batched database read, see DirectoryStore) and
 * ldapjs's own messages would each be one system call and one TCP segment. Corking the socket for the rest of the
 * tick sends the messages written together at once.
 */
function coalesceWrites(socket: GuardedSocket): void {
  const { cork, uncork, write } = socket;
  if (!cork || !uncork || !write) return;
  let corked = false;
  const flush = () => {
    corked = false;
    uncork.call(socket);
  };
  socket.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      cork.call(socket);
      process.nextTick(flush);
    }
    return write.apply(socket, args);
  };
}

/**
 * The DN an entry is answered with: ldapjs sent every DN in its canonical RFC 4514 form. A stored DN whose
 * lowercase is its key and that has no escapes is in that form already (the usual case: publishers send canonical
 * DNs; ldapjs keeps the case of types and values), so it is parsed only otherwise.
 */
function answerDn(entry: LdapEntry): string {
  const canonical = !entry.dn.includes('\\') && entry.dn.toLowerCase() === entry.dnKey;
  return canonical ? entry.dn : parseDirectoryDn(entry.dn).toString();
}

/** An error ldapjs defines (with its LDAP result code). */
function isLdapError(error: unknown): error is { code: number; message: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && typeof (error as { message?: unknown }).message === 'string';
}

const SCOPES: Record<string, 'base' | 'one' | 'sub'> = { '0': 'base', base: 'base', '1': 'one', one: 'one', single: 'one', '2': 'sub', sub: 'sub', subtree: 'sub' };

/** The search scope by name, whichever form ldapjs hands over (its parser resolves names to the enumeration). */
function scopeOf(scope: number | string): 'base' | 'one' | 'sub' {
  const named = SCOPES[String(scope).toLowerCase()];
  if (!named) throw new ProtocolError(`unknown search scope ${String(scope)}`);
  return named;
}

function inScope(key: string, baseKey: string, scope: 'one' | 'sub'): boolean {
  if (scope === 'sub') return baseKey === '' || key === baseKey || key.endsWith(`,${baseKey}`);
  // Only a one-level search needs the parent (parsing a DN is a visible share of a search's CPU).
  const parent = parseDirectoryDn(key).parent();
  return (parent ? dnKey(parent) : '') === baseKey;
}

/** The page size and resume position of a paged-results request (RFC 2696); no control: one answer. */
function pagingOf(req: SearchRequest): { size?: number; after?: string } {
  const control = req.controls?.find((candidate) => candidate.type === PagedResultsControl.OID);
  if (!control?.value) return {};
  const size = control.value.size && control.value.size > 0 ? control.value.size : undefined;
  const cookie = control.value.cookie?.toString('utf8') ?? '';
  return { size, after: cookie.startsWith('k:') ? cookie.slice(2) : undefined };
}
