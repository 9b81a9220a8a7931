import { isRole, ROLES, type Role } from '@smpki/policy';
import { readFileSync } from 'node:fs';
import type { VerifiedClientCertificate } from './client-certificate';
import type { ClientCertificateRoleResolver } from './client-certificate-role-resolver';
import { dnKey, parseDn } from './distinguished-name';

/** How an entry picks certificates; `issuer` (RFC 4514 DN) narrows any selector to one CA. */
type Selector =
  | { kind: 'fingerprint256'; fingerprint256: string }
  | { kind: 'subject'; subjectKey: string }
  | { kind: 'certificatePolicy'; oid: string }
  | { kind: 'organizationalUnit'; unit: string };

interface Entry {
  readonly selector: Selector;
  readonly issuerKey?: string;
  readonly roles: readonly Role[];
}

const SELECTORS = ['fingerprint256', 'subject', 'certificatePolicy', 'organizationalUnit'] as const;
const ENTRY_KEYS = new Set<string>([...SELECTORS, 'issuer', 'roles', 'description']);
const FINGERPRINT = /^[0-9a-f]{64}$/;
const OID = /^[0-2](?:\.\d+)+$/;

export class ClientCertificateRolesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid client certificate roles (${source}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ClientCertificateRolesError';
  }
}

/**
 * Roles of mutual-TLS clients as data: entries keyed by certificate SHA-256 fingerprint, subject DN, certificate
 * policy OID or subject OU, each granting roles. A certificate gets the union of the roles of every entry it
 * matches. File format:
 *
 * ```json
 * { "clientCertificates": [
 *   { "fingerprint256": "9f86d0...", "roles": ["ca-operator"] },
 *   { "subject": "CN=gwa-1,O=ACME,C=DE", "issuer": "CN=smpki client CA,O=ACME,C=DE", "roles": ["gateway-administrator"] },
 *   { "certificatePolicy": "1.3.6.1.4.1.99999.2.1", "roles": ["directory-reader"] } ] }
 * ```
 */
export class ClientCertificateRoleTable implements ClientCertificateRoleResolver {
  private constructor(private readonly entries: readonly Entry[]) {}

  static parse(input: unknown, source = 'client certificate roles'): ClientCertificateRoleTable {
    const problems: string[] = [];
    const list = isObject(input) ? input.clientCertificates : undefined;
    if (!Array.isArray(list)) throw new ClientCertificateRolesError(source, ['expected a JSON object with a "clientCertificates" array']);
    const entries = list.flatMap((item: unknown, index) => parseEntry(item, `clientCertificates[${index}]`, problems));
    if (problems.length > 0) throw new ClientCertificateRolesError(source, problems);
    return new ClientCertificateRoleTable(entries);
  }

  static loadFile(path: string): ClientCertificateRoleTable {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ClientCertificateRolesError(path, [`cannot read it as JSON: ${(error as Error).message}`]);
    }
    return ClientCertificateRoleTable.parse(data, path);
  }

  resolveRoles(certificate: VerifiedClientCertificate): readonly Role[] {
    const roles = new Set<Role>();
    const issuerKey = dnKey(certificate.issuerRdns);
    for (const entry of this.entries) {
      if (entry.issuerKey !== undefined && entry.issuerKey !== issuerKey) continue;
      if (selects(entry.selector, certificate)) entry.roles.forEach((role) => roles.add(role));
    }
    return [...roles];
  }
}

function selects(selector: Selector, certificate: VerifiedClientCertificate): boolean {
  switch (selector.kind) {
    case 'fingerprint256':
      return selector.fingerprint256 === certificate.fingerprint256;
    case 'subject':
      return selector.subjectKey === dnKey(certificate.subjectRdns);
    case 'certificatePolicy':
      return certificate.certificatePolicies.includes(selector.oid);
    case 'organizationalUnit':
      return certificate.organizationalUnits.includes(selector.unit);
  }
}

function parseEntry(item: unknown, where: string, problems: string[]): Entry[] {
  if (!isObject(item)) {
    problems.push(`${where}: expected an object`);
    return [];
  }
  const before = problems.length;
  for (const key of Object.keys(item)) if (!ENTRY_KEYS.has(key)) problems.push(`${where}: unknown key "${key}"`);
  const present = SELECTORS.filter((key) => item[key] !== undefined);
  if (present.length !== 1) {
    problems.push(`${where}: needs exactly one of ${SELECTORS.join(', ')} (found ${present.length === 0 ? 'none' : present.join(', ')})`);
    return [];
  }
  const selector = parseSelector(present[0]!, item[present[0]!], where, problems);
  const issuerKey = item.issuer === undefined ? undefined : dnKeyOf(item.issuer, `${where}.issuer`, problems);
  const roles = parseRoles(item.roles, `${where}.roles`, problems);
  return problems.length === before && selector ? [{ selector, issuerKey, roles }] : [];
}

function parseSelector(kind: (typeof SELECTORS)[number], value: unknown, where: string, problems: string[]): Selector | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  switch (kind) {
    case 'fingerprint256': {
      const fingerprint256 = text.replace(/:/g, '').toLowerCase();
      if (FINGERPRINT.test(fingerprint256)) return { kind, fingerprint256 };
      problems.push(`${where}.fingerprint256: expected 64 hex digits (colons allowed), got ${JSON.stringify(value)}`);
      return undefined;
    }
    case 'subject': {
      const subjectKey = dnKeyOf(value, `${where}.subject`, problems);
      return subjectKey === undefined ? undefined : { kind, subjectKey };
    }
    case 'certificatePolicy':
      if (OID.test(text)) return { kind, oid: text };
      problems.push(`${where}.certificatePolicy: expected a dotted OID, got ${JSON.stringify(value)}`);
      return undefined;
    case 'organizationalUnit':
      if (text !== '') return { kind, unit: text };
      problems.push(`${where}.organizationalUnit: expected a non-empty string`);
      return undefined;
  }
}

function dnKeyOf(value: unknown, where: string, problems: string[]): string | undefined {
  if (typeof value !== 'string') {
    problems.push(`${where}: expected an RFC 4514 distinguished name string`);
    return undefined;
  }
  try {
    return dnKey(parseDn(value));
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
    return undefined;
  }
}

function parseRoles(value: unknown, where: string, problems: string[]): Role[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where}: expected a non-empty array of roles`);
    return [];
  }
  const unknown = value.filter((role) => !isRole(role));
  if (unknown.length > 0) problems.push(`${where}: unknown role(s) ${unknown.map((role) => JSON.stringify(role)).join(', ')} (known roles: ${ROLES.join(', ')})`);
  return value.filter(isRole);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
