import { runInTransaction } from '@smpki/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { dnKey, namingValues, parentKey } from './distinguished-name';
import type { CaItem, CertificateItem, CrlItem, DirectoryItem, RevokedPolicy } from './directory-item';
import { DirectoryEntry } from './entities/directory-entry.entity';

/** Columns an LDAP equality filter can be narrowed to (each indexed; they hold the LDAP attribute values as served). */
export const SEARCHABLE_COLUMNS = { cn: 'common_name', serialnumber: 'meter_id', smpkicertificateserial: 'serial', smpkicertificatefingerprint: 'fingerprint' } as const;
export type SearchableAttribute = keyof typeof SEARCHABLE_COLUMNS;

/** An equality the rows of a page must satisfy (a necessary condition of the search filter). */
export interface EqualityCondition {
  attribute: SearchableAttribute;
  value: string;
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

  private applyOnce(items: readonly DirectoryItem[], now: Date): Promise<IngestResult> {
    // runInTransaction: SQLite has one connection, so its transactions are queued rather than nested.
    return runInTransaction(this.dataSource, async (manager) => {
      let unchanged = 0;
      for (const item of items) if (!(await this.applyOne(manager, item, now))) unchanged++;
      return { applied: items.length, unchanged };
    });
  }

  findByKey(key: string): Promise<DirectoryEntry | null> {
    return this.dataSource.getRepository(DirectoryEntry).findOneBy({ dnKey: key });
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
  async page(scope: 'one' | 'sub', baseKey: string, afterKey: string, limit: number, condition?: EqualityCondition): Promise<DirectoryEntry[]> {
    const query = this.dataSource.getRepository(DirectoryEntry).createQueryBuilder('e').where('e.dn_key > :afterKey', { afterKey });
    if (condition) query.andWhere(`e.${SEARCHABLE_COLUMNS[condition.attribute]} = :value`, { value: condition.value });
    if (scope === 'one') query.andWhere('e.parent_key = :baseKey', { baseKey });
    else if (baseKey !== '') query.andWhere("(e.dn_key = :baseKey OR e.dn_key LIKE :suffix ESCAPE '\\')", { baseKey, suffix: `%,${escapeLike(baseKey)}` });
    return query.orderBy('e.dn_key', 'ASC').limit(limit).getMany();
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
  entry.commonName = naming.cn ?? null;
  entry.meterId = naming.serialNumber ?? null;
  entry.revoked = false;
  entry.version = new Date(0);
  return entry;
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
  entry.commonName = namingValues(item.dn).cn ?? null;
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
  entry.commonName = item.commonName ?? naming.cn ?? null;
  entry.meterId = item.meterId ?? naming.serialNumber ?? null;
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
