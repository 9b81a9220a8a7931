/**
 * The external LDAP target of the publisher (docs/DIRECTORY.md): writes the same entries the platform directory
 * gets into an operator's OpenLDAP server, bound with a DN and password. Each publish() opens one connection,
 * applies the batch in order and closes it, so a server restarted between two chunks needs no reconnect logic.
 *
 * Idempotent: an entry is added, or, when it exists (entryAlreadyExists), its certificate/CRL attribute is
 * replaced; a repeated chunk changes nothing and succeeds. Missing parents (`c=DE`, `o=...`, the CA) are created
 * first. A CRL older than the one the CA entry holds is skipped, so two replicas delivering out of order cannot
 * put an older CRL back. DNs are the platform's (`...,c=DE`); with `suffix` set they are placed below it
 * (`...,c=DE,<suffix>`), the suffix entry itself being the operator's.
 */
import { parseCrl } from '@smpki/crypto';
import type { DirectoryClient } from './directory-client';
import type { DirectoryEntry } from './directory-entry';
import { LDAP_ENTRY_ALREADY_EXISTS, LDAP_NO_SUCH_OBJECT, LdapConnection, LdapOperationError } from './ldap-connection';
import { caAttributes, containerAttributes, crlAttribute, dnLevels, endEntityAttributes, type LdapAttributes } from './ldap-schema-entries';

export type RevokedHandling = 'keep' | 'remove';

export interface LdapDirectoryClientOptions {
  /** `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  bindDn: string;
  password: string;
  /** PEM CA certificates for ldaps:// (default: Node's trust store). */
  caCertificates?: Buffer;
  /** Revoked certificates: left in place (relying parties check the CRL) or deleted. */
  revoked: RevokedHandling;
  /** A DN the platform's DIT is placed below (default: none, DNs as published). */
  suffix?: string;
  /** Per connect and per operation (default 10 s): a PostgreSQL claim is held while the batch runs. */
  timeoutMs?: number;
}

export class LdapDirectoryClient implements DirectoryClient {
  /** Parents known to exist, so a chunk of meters below one CA does not re-add `c=DE` a hundred times. */
  private readonly existing = new Set<string>();

  constructor(private readonly options: LdapDirectoryClientOptions) {}

  async publish(entries: readonly DirectoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const connection = await LdapConnection.open({ ...this.options, timeoutMs: this.options.timeoutMs ?? 10_000 });
    try {
      for (const entry of entries) await this.applyRetryingParents(connection, entry);
    } finally {
      connection.close();
    }
  }

  /** A parent removed behind the publisher's back (noSuchObject) empties the cache and is created again, once. */
  private async applyRetryingParents(connection: LdapConnection, entry: DirectoryEntry): Promise<void> {
    try {
      await this.apply(connection, entry);
    } catch (error) {
      if (!(error instanceof LdapOperationError) || error.code !== LDAP_NO_SUCH_OBJECT || this.existing.size === 0) throw error;
      this.existing.clear();
      await this.apply(connection, entry);
    }
  }

  private async apply(connection: LdapConnection, entry: DirectoryEntry): Promise<void> {
    const levels = dnLevels(entry.dn);
    const own = levels[levels.length - 1]!;
    if (entry.kind === 'certificate' && entry.revoked && this.options.revoked === 'remove') {
      await this.remove(connection, this.target(own.dn));
      return;
    }
    await this.ensureParents(connection, levels.slice(0, -1).map((level) => ({ ...level, dn: this.target(level.dn) })));
    const dn = this.target(own.dn);
    if (entry.kind === 'ca') {
      const { all, replaced } = caAttributes(entry, own);
      await this.upsert(connection, dn, all, replaced);
    } else if (entry.kind === 'certificate') {
      const { all, replaced } = endEntityAttributes(entry);
      await this.upsert(connection, dn, all, replaced);
    } else {
      await this.putCrl(connection, dn, own, entry);
    }
    this.existing.add(dn);
  }

  private async putCrl(connection: LdapConnection, dn: string, own: ReturnType<typeof dnLevels>[number], entry: Extract<DirectoryEntry, { kind: 'crl' | 'delta-crl' }>) {
    const attribute = crlAttribute(entry.kind);
    const held = (await connection.read(dn, attribute))?.[0];
    if (held && heldCrlNumber(held) >= BigInt(entry.crlNumber)) return;
    const replaced = { [attribute]: Buffer.from(entry.crl, 'base64') };
    await this.upsert(connection, dn, { ...containerAttributes(own), ...replaced }, replaced);
  }

  private async ensureParents(connection: LdapConnection, parents: ReadonlyArray<{ dn: string; rdn: Record<string, string> }>): Promise<void> {
    for (const parent of parents) {
      if (this.existing.has(parent.dn)) continue;
      await connection.add(parent.dn, containerAttributes(parent)).catch(ignoreCode(LDAP_ENTRY_ALREADY_EXISTS));
      this.existing.add(parent.dn);
    }
  }

  private async upsert(connection: LdapConnection, dn: string, all: LdapAttributes, replaced: Record<string, Buffer>): Promise<void> {
    try {
      await connection.add(dn, all);
    } catch (error) {
      if (!(error instanceof LdapOperationError) || error.code !== LDAP_ENTRY_ALREADY_EXISTS) throw error;
      await connection.replace(dn, replaced);
    }
  }

  private async remove(connection: LdapConnection, dn: string): Promise<void> {
    await connection.delete(dn).catch(ignoreCode(LDAP_NO_SUCH_OBJECT));
    this.existing.delete(dn);
  }

  private target(dn: string): string {
    return this.options.suffix ? `${dn},${this.options.suffix}` : dn;
  }
}

function ignoreCode(code: number): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof LdapOperationError) || error.code !== code) throw error;
  };
}

/** The CRL number of the CRL an entry holds; one that does not parse counts as oldest (it gets replaced). */
function heldCrlNumber(der: Buffer): bigint {
  try {
    return parseCrl(der).crlNumber ?? -1n;
  } catch {
    return -1n;
  }
}
