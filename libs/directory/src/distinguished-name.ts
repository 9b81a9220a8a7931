import { parseDN, type DN } from 'ldapjs';

/**
 * DN handling of the directory. LDAP compares DNs case-insensitively (for the attributes it serves: cn,
 * serialNumber, o, c), so every stored DN has a canonical key: RFC 4514 string, lowercase, no spaces between RDNs.
 */
export class InvalidDnError extends Error {}

export function parseDirectoryDn(dn: string): DN {
  try {
    return parseDN(dn);
  } catch (error) {
    throw new InvalidDnError(`"${dn}" is not an RFC 4514 DN (${(error as Error).message})`);
  }
}

/** The canonical lowercase key of a DN (the empty DN, the root, has the key ''). */
export function dnKey(dn: string | DN): string {
  const parsed = typeof dn === 'string' ? parseDirectoryDn(dn) : dn;
  return parsed.toString().toLowerCase();
}

/** The key of the parent of a DN; '' for a top-level entry. */
export function parentKey(dn: string | DN): string {
  const parsed = typeof dn === 'string' ? parseDirectoryDn(dn) : dn.clone();
  const parent = parsed.parent();
  return parent ? dnKey(parent) : '';
}

/** Every ancestor of a DN, nearest first, as DN strings (e.g. `o=X,c=DE` then `c=DE`). */
export function ancestorsOf(dn: string): string[] {
  const ancestors: string[] = [];
  let current: DN | null = parseDirectoryDn(dn).parent();
  while (current && current.length > 0) {
    ancestors.push(current.toString());
    current = current.parent();
  }
  return ancestors;
}

/** cn and serialNumber of a DN's own (first) RDN, multi-valued RDNs included: the naming attributes of the entry. */
export function namingValues(dn: string): { cn?: string; serialNumber?: string } {
  const first = parseDirectoryDn(dn).toString().split(/(?<!\\),/)[0] ?? '';
  const values: { cn?: string; serialNumber?: string } = {};
  for (const part of first.split(/(?<!\\)\+/)) {
    const [type = '', ...rest] = part.split('=');
    const value = rest.join('=').replace(/\\(.)/g, '$1');
    if (type.toLowerCase() === 'cn') values.cn = value;
    if (type.toLowerCase() === 'serialnumber') values.serialNumber = value;
  }
  return values;
}
