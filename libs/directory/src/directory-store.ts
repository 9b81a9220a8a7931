import { createHash } from 'node:crypto';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { dnKey, namingValues, parentKey } from './distinguished-name';
import type { CaItem, CertificateItem, CrlItem, DirectoryItem, RevokedPolicy } from './directory-item';
import { DirectoryEntry } from './entities/directory-entry.entity';

/**
 * Columns an LDAP equality filter can be narrowed to: each indexed and lowercase (cn and serialNumber are
 * caseIgnoreMatch; serials and fingerprints are stored as lowercase hex), so the filter value is lowercased too.
 */
export const SEARCHABLE_COLUMNS = { cn: 'common_name_key', serialnumber: 'meter_id_key', smpkicertificateserial: 'serial', smpkicertificatefingerprint: 'fingerprint' } as const;
export type SearchableAttribute = keyof typeof SEARCHABLE_COLUMNS;

/** An equality the rows of a page must satisfy (a necessary condition of the search filter). */
export interface EqualityCondition {
  attribute: SearchableAttribute;
  value: string;
}

/** The columns of a stored entry that LDAP answers are made of (what `findByKey` and `page` read). */
export type DirectoryRow = Pick<DirectoryEntry, 'dn' | 'dnKey' | 'kind' | 'certificate' | 'crl' | 'deltaCrl' | 'serial' | 'fingerprint' | 'commonName' | 'meterId' | 'revoked'>;

const ROW_COLUMNS = 'dn, dn_key, kind, certificate, crl, delta_crl, serial, fingerprint, common_name, meter_id, revoked';

/**
 * A row of ROW_COLUMNS as its entry's fields. pg returns bytea as Buffer and boolean as boolean; SQLite (through
 * TypeORM's query) returns BLOBs as Buffer and booleans as 0/1.
 */
function directoryRowOf(row: Record<string, unknown>): DirectoryRow {
  return {
    dn: row.dn as string,
    dnKey: row.dn_key as string,
    kind: row.kind as DirectoryRow['kind'],
    certificate: (row.certificate as Buffer | null) ?? null,
    crl: (row.crl as Buffer | null) ?? null,
    deltaCrl: (row.delta_crl as Buffer | null) ?? null,
    serial: (row.serial as string | null) ?? null,
    fingerprint: (row.fingerprint as string | null) ?? null,
    commonName: (row.common_name as string | null) ?? null,
    meterId: (row.meter_id as string | null) ?? null,
    revoked: row.revoked === true || row.revoked === 1 || row.revoked === '1',
  };
}

/** The part of pg's Pool (TypeORM's PostgreSQL driver holds one as `master`) used by the search path. */
interface PgPool {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/** Prepared-statement names by SQL text (few: the search path's WHERE clauses and page sizes). */
const STATEMENT_NAMES = new Map<string, string>();

/** The most statements one batched query answers. */
const MAX_BATCH = 64;
/** Batched statements out at once: one being answered while the next is sent, so PostgreSQL is never left idle. */
const MAX_IN_FLIGHT = 2;

/** `?` placeholders numbered as PostgreSQL wants them ($1, $2, ...). */
function numbered(sql: string): string {
  let placeholder = 0;
  return sql.replace(/\?/g, () => `$${++placeholder}`);
}

function statementName(text: string): string {
  let name = STATEMENT_NAMES.get(text);
  if (name === undefined) {
    name = `smpki_directory_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    STATEMENT_NAMES.set(text, name);
  }
  return name;
}

interface QueuedQuery {
  parameters: string[];
  resolve(rows: Array<Record<string, unknown>>): void;
  reject(error: unknown): void;
}

/**
 * The same prepared SELECT (text parameters only) asked for several times in one turn of the event loop, as under
 * concurrent LDAP searches, goes to PostgreSQL as one statement: the parameter sets unnested, each answered by its
 * own LATERAL subquery (same WHERE, ORDER BY and LIMIT), the rows told apart by their parameter set's ordinal. A
 * round trip to the database (a system call that wakes a PostgreSQL backend, and its per-statement work) costs more
 * than a search's own CPU: its system call was the largest item of the directory's profile with one statement per
 * turn (the backend it wakes competes for the same cores). So at most MAX_IN_FLIGHT statements are out at once,
 * and the reads asked for meanwhile wait for one to come back and go together (group commit, for reads): under load
 * the batches grow instead of the statements per second.
 */
class QueryBatches {
  private readonly queued = new Map<string, QueuedQuery[]>();
  private scheduled = false;
  private inFlight = 0;

  constructor(readonly pool: PgPool) {}

  query(sql: string, parameters: unknown[]): Promise<Array<Record<string, unknown>>> {
    if (!parameters.every((parameter): parameter is string => typeof parameter === 'string')) return this.single(sql, parameters);
    return new Promise((resolve, reject) => {
      const queue = this.queued.get(sql);
      if (queue) queue.push({ parameters, resolve, reject });
      else this.queued.set(sql, [{ parameters, resolve, reject }]);
      this.schedule();
    });
  }

  /** A flush after this turn's I/O callbacks (every search whose request arrived with this one is queued by then). */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.queued.size === 0) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    for (const [sql, queue] of this.queued) {
      while (queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) this.send(sql, queue.splice(0, MAX_BATCH));
      if (queue.length === 0) this.queued.delete(sql);
      if (this.inFlight >= MAX_IN_FLIGHT) return;
    }
  }

  private send(sql: string, queue: QueuedQuery[]): void {
    this.inFlight++;
    const settled = () => {
      this.inFlight--;
      this.schedule();
    };
    this.answer(sql, queue).then(settled, settled);
  }

  /** One statement for the queued reads; each read's promise settles with its own rows (or the statement's error). */
  private answer(sql: string, queue: QueuedQuery[]): Promise<void> {
    if (queue.length === 1) {
      const [only] = queue as [QueuedQuery];
      return this.single(sql, only.parameters).then(only.resolve, only.reject);
    }
    const count = queue[0]!.parameters.length;
    const names = Array.from({ length: count }, (_, index) => `smpki_p${index + 1}`);
    let next = 0;
    const inner = sql.replace(/\?/g, () => `batch.${names[next++]}`);
    const arrays = names.map((_, index) => `$${index + 1}::text[]`).join(', ');
    const text =
      `SELECT batch.smpki_batch_index, answer.* FROM unnest(${arrays}) WITH ORDINALITY AS batch(${names.join(', ')}, smpki_batch_index) ` +
      `CROSS JOIN LATERAL (${inner}) answer ORDER BY batch.smpki_batch_index, answer.dn_key`;
    const values = names.map((_, index) => queue.map((query) => query.parameters[index]));
    return this.pool.query({ name: statementName(text), text, values }).then(
      ({ rows }) => {
        const answers = queue.map((): Array<Record<string, unknown>> => []);
        for (const row of rows) answers[Number(row.smpki_batch_index) - 1]!.push(row);
        queue.forEach((query, index) => query.resolve(answers[index]!));
      },
      (error: unknown) => queue.forEach((query) => query.reject(error)),
    );
  }

  private async single(sql: string, parameters: unknown[]): Promise<Array<Record<string, unknown>>> {
    const text = numbered(sql);
    return (await this.pool.query({ name: statementName(text), text, values: parameters })).rows;
  }
}

/** What one ingest batch did: every item is acknowledged; `unchanged` counts those older than (or equal to) the stored state. */
export interface IngestResult {
  applied: number;
  unchanged: number;
}

/**
 * The directory's entries in the database: the idempotent upsert of the ingest API and the reads of the LDAP and
 * HTTP front ends. Ordering per entry: a certificate or CA certificate with an older `version` than the stored one
 * is ignored, and a CRL with a CRL number not above the stored one, so a retried or reordered batch changes nothing.
 */
export class DirectoryStore {
  private caChanges = 0;
  private batches?: QueryBatches;

  constructor(
    private readonly dataSource: DataSource,
    private readonly revokedPolicy: RevokedPolicy = 'keep',
  ) {}

  async apply(items: readonly DirectoryItem[], now: Date = new Date()): Promise<IngestResult> {
    try {
      return await this.applyOnce(items, now);
    } catch (error) {
      // Two replicas (or two publishers) inserting the same new DN at once: one wins the unique index; the other's
      // batch, applied again, now finds the row and follows the version rule.
      if (!isUniqueViolation(error)) throw error;
      return this.applyOnce(items, now);
    }
  }

  /**
   * Counts the ingests through this store that touched a CA entry, so a cache of the CA entries (the LDAP
   * containers) is dropped at once on this replica; other replicas on the same database see the change when their
   * cache expires.
   */
  get caGeneration(): number {
    return this.caChanges;
  }

  private async applyOnce(items: readonly DirectoryItem[], now: Date): Promise<IngestResult> {
    try {
      return await this.applyItems(items, now);
    } finally {
      if (items.some((item) => item.kind !== 'certificate')) this.caChanges++;
    }
  }

  private applyItems(items: readonly DirectoryItem[], now: Date): Promise<IngestResult> {
    // runInTransaction: SQLite has one connection, so its transactions are queued rather than nested.
    return runInTransaction(this.dataSource, async (manager) => {
      let unchanged = 0;
      for (const item of items) if (!(await this.applyOne(manager, item, now))) unchanged++;
      return { applied: items.length, unchanged };
    });
  }

  async findByKey(key: string): Promise<DirectoryRow | null> {
    return (await this.select(['dn_key = ?'], [key], 1, true))[0] ?? null;
  }

  /** The CA entry of a CA instance (HTTP distribution). */
  findCa(ca: string): Promise<DirectoryEntry | null> {
    return this.dataSource.getRepository(DirectoryEntry).findOneBy({ ca, kind: 'ca' });
  }

  /** Every CA entry: few, and their ancestors are the directory's container entries. */
  listCas(): Promise<DirectoryEntry[]> {
    return this.dataSource.getRepository(DirectoryEntry).find({ where: { kind: 'ca' }, order: { dnKey: 'ASC' } });
  }

  /**
   * A page of the entries in scope of a search, in dn_key order after `afterKey`: `one` lists the children of
   * `baseKey`, `sub` the entry and everything below it.
   */
  async page(scope: 'one' | 'sub', baseKey: string, afterKey: string, limit: number, condition?: EqualityCondition): Promise<DirectoryRow[]> {
    const where = ['dn_key > ?'];
    const parameters: unknown[] = [afterKey];
    if (condition) {
      where.push(`${SEARCHABLE_COLUMNS[condition.attribute]} = ?`);
      parameters.push(condition.value.toLowerCase());
    }
    if (scope === 'one') {
      where.push('parent_key = ?');
      parameters.push(baseKey);
    } else if (baseKey !== '') {
      where.push("(dn_key = ? OR dn_key LIKE ? ESCAPE '\\')");
      parameters.push(baseKey, `%,${escapeLike(baseKey)}`);
    }
    // Prepared only with an equality on a (nearly) unique key, where the generic plan is that key's index too. A
    // one-level or unnarrowed search is planned for its base each time: a generic plan cannot tell `c=DE` (one
    // child) from a CA with a million and might walk dn_key for both.
    return this.select(where, parameters, limit, condition !== undefined);
  }

  /**
   * The LDAP search path's reads, as plain SQL: TypeORM's query builder (building, escaping and aliasing the query,
   * then mapping the result) cost more CPU than the rest of a search. Only the columns an LDAP answer is made of are
   * read (no timestamps: the driver's date parsing was a visible share of a search), mapped by hand.
   */
  private async select(where: string[], parameters: unknown[], limit: number, prepared: boolean): Promise<DirectoryRow[]> {
    const sql = `SELECT ${ROW_COLUMNS} FROM directory_entry WHERE ${where.join(' AND ')} ORDER BY dn_key LIMIT ${Math.floor(limit)}`;
    const rows = await this.rawQuery(sql, parameters, prepared);
    return rows.map(directoryRowOf);
  }

  /**
   * PostgreSQL: straight on TypeORM's pg pool, `prepared` as a named statement (parsed and planned once per
   * connection), batched with the same statements of the same turn of the event loop. SQLite: through TypeORM.
   */
  private async rawQuery(sql: string, parameters: unknown[], prepared: boolean): Promise<Array<Record<string, unknown>>> {
    const pool = (this.dataSource.driver as { master?: PgPool }).master;
    if (this.dataSource.options.type !== 'postgres' || typeof pool?.query !== 'function') return this.dataSource.query(sql, parameters);
    if (!prepared) return (await pool.query({ text: numbered(sql), values: parameters })).rows;
    if (this.batches?.pool !== pool) this.batches = new QueryBatches(pool);
    return this.batches.query(sql, parameters);
  }

  private async applyOne(manager: EntityManager, item: DirectoryItem, now: Date): Promise<boolean> {
    const repository = manager.getRepository(DirectoryEntry);
    const stored = await repository.findOneBy({ dnKey: dnKey(item.dn) });
    const storedDn = stored?.dn;
    const next = item.kind === 'ca' ? caEntry(stored, item) : item.kind === 'certificate' ? certificateEntry(stored, item) : crlEntry(stored, item);
    if (!next) return false;
    if (item.kind === 'certificate' && item.revoked && this.revokedPolicy === 'remove') {
      if (storedDn !== undefined) await repository.delete({ dn: storedDn });
      return true;
    }
    next.updatedAt = now;
    // The DN is the primary key: a re-published entry whose DN differs only in case replaces the stored one.
    if (storedDn !== undefined && storedDn !== next.dn) await repository.delete({ dn: storedDn });
    await repository.save(next);
    return true;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  const codes = [code, driverError?.code];
  return codes.includes('23505') || codes.some((candidate) => candidate?.startsWith('SQLITE_CONSTRAINT_UNIQUE') || candidate === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function blankEntry(item: DirectoryItem): DirectoryEntry {
  const entry = new DirectoryEntry();
  entry.dn = item.dn;
  entry.dnKey = dnKey(item.dn);
  entry.parentKey = parentKey(item.dn);
  entry.ca = item.ca;
  entry.certificate = null;
  entry.crl = null;
  entry.crlNumber = null;
  entry.crlUpdatedAt = null;
  entry.deltaCrl = null;
  entry.deltaCrlNumber = null;
  entry.serial = null;
  entry.fingerprint = null;
  const naming = namingValues(item.dn);
  setNaming(entry, naming.cn, naming.serialNumber);
  entry.revoked = false;
  entry.version = new Date(0);
  return entry;
}

/** The naming attributes as served and their lowercase filter keys (always set together). */
function setNaming(entry: DirectoryEntry, commonName: string | null | undefined, meterId: string | null | undefined): void {
  entry.commonName = commonName ?? null;
  entry.commonNameKey = entry.commonName?.toLowerCase() ?? null;
  entry.meterId = meterId ?? null;
  entry.meterIdKey = entry.meterId?.toLowerCase() ?? null;
}

/** Older than the stored certificate, or the same certificate at the same version again: nothing to change. */
function isStale(stored: DirectoryEntry | null, version: string, certificate: Buffer): boolean {
  if (!stored || stored.certificate === null) return false;
  const incoming = new Date(version).getTime();
  const current = new Date(stored.version).getTime();
  return incoming < current || (incoming === current && stored.certificate.equals(certificate));
}

function caEntry(stored: DirectoryEntry | null, item: CaItem): DirectoryEntry | null {
  const certificate = Buffer.from(item.certificate, 'base64');
  if (isStale(stored, item.version, certificate)) return null;
  const entry = stored ?? blankEntry(item);
  entry.dn = item.dn;
  entry.kind = 'ca';
  entry.ca = item.ca;
  setNaming(entry, namingValues(item.dn).cn, entry.meterId);
  entry.certificate = certificate;
  entry.version = new Date(item.version);
  return entry;
}

function certificateEntry(stored: DirectoryEntry | null, item: CertificateItem): DirectoryEntry | null {
  const certificate = Buffer.from(item.certificate, 'base64');
  // A revocation is published with a later version than the issuance, so the same version means the same state.
  if (isStale(stored, item.version, certificate)) return null;
  const entry = stored ?? blankEntry(item);
  entry.dn = item.dn;
  entry.kind = 'certificate';
  entry.ca = item.ca;
  entry.certificate = certificate;
  entry.serial = item.serial.toLowerCase();
  entry.fingerprint = item.fingerprint.toLowerCase();
  const naming = namingValues(item.dn);
  setNaming(entry, item.commonName ?? naming.cn, item.meterId ?? naming.serialNumber);
  entry.revoked = item.revoked;
  entry.version = new Date(item.version);
  return entry;
}

/** CRLs live on their CA's entry, ordered by CRL number; a CRL that arrives first creates the entry without a certificate. */
function crlEntry(stored: DirectoryEntry | null, item: CrlItem): DirectoryEntry | null {
  const delta = item.kind === 'delta-crl';
  const storedNumber = stored ? (delta ? stored.deltaCrlNumber : stored.crlNumber) : null;
  if (storedNumber !== null && item.crlNumber <= storedNumber) return null;
  const entry = stored ?? { ...blankEntry(item), kind: 'ca' as const };
  const der = Buffer.from(item.crl, 'base64');
  if (delta) {
    entry.deltaCrl = der;
    entry.deltaCrlNumber = item.crlNumber;
  } else {
    entry.crl = der;
    entry.crlNumber = item.crlNumber;
    entry.crlUpdatedAt = new Date(item.version);
  }
  return Object.assign(new DirectoryEntry(), entry);
}
