/**
 * Debian's ldapsearch against a directory service running as a process: simple anonymous searches, the LDIF answer
 * parsed into entries (values of `attr:: base64` decoded to bytes), paged (RFC 2696) so that subtrees larger than
 * the server's size limit come back whole.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Entries per page: below the directory's maximum size limit (1,000). */
const PAGE_SIZE = 500;

export interface LdapEntry {
  dn: string;
  /** Attribute values by attribute name as ldapsearch prints it (e.g. `userCertificate;binary`). */
  attributes: Map<string, Buffer[]>;
}

export interface LdapSearch {
  /** ldap://host:port */
  url: string;
  base: string;
  scope?: 'base' | 'one' | 'sub';
  filter?: string;
  attributes?: string[];
}

/** Runs one (paged) search; rejects when ldapsearch fails (e.g. noSuchObject before the first publication). */
export async function ldapSearch(search: LdapSearch): Promise<LdapEntry[]> {
  const args = ['-x', '-LLL', '-o', 'ldif-wrap=no', '-E', `pr=${PAGE_SIZE}/noprompt`, '-H', search.url, '-b', search.base, '-s', search.scope ?? 'sub'];
  const { stdout } = await run('ldapsearch', [...args, search.filter ?? '(objectClass=*)', ...(search.attributes ?? [])], { maxBuffer: 256 * 1024 * 1024 });
  return parseLdif(stdout);
}

/** The first value of an attribute as text ('' when absent). */
export function textOf(entry: LdapEntry, attribute: string): string {
  return entry.attributes.get(attribute)?.[0]?.toString('utf8') ?? '';
}

/** -LLL output without line wrapping: blank-line separated records, `name: text` or `name:: base64` lines. */
function parseLdif(ldif: string): LdapEntry[] {
  const entries: LdapEntry[] = [];
  for (const record of ldif.split(/\n\s*\n/)) {
    const lines = record.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    let entry: LdapEntry | undefined;
    for (const line of lines) {
      const { name, value } = parseLine(line);
      if (name === 'dn') entries.push((entry = { dn: value.toString('utf8'), attributes: new Map() }));
      else if (entry) entry.attributes.set(name, [...(entry.attributes.get(name) ?? []), value]);
    }
  }
  return entries;
}

function parseLine(line: string): { name: string; value: Buffer } {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon);
  if (line[colon + 1] === ':') return { name, value: Buffer.from(line.slice(colon + 2).trim(), 'base64') };
  return { name, value: Buffer.from(line.slice(colon + 1).replace(/^ /, ''), 'utf8') };
}
