/**
 * RFC 7512 PKCS#11 URIs, the names of keys: `pkcs11:token=smpki;object=calibration-ca-2026`.
 * Only the path attributes that identify a token and an object are meaningful to smpki; the others are parsed
 * (so that valid URIs from other tools are accepted) and kept. A PIN in the URI is refused: PINs come from the
 * configuration only.
 */
import { HsmError } from './hsm-error';

export type Pkcs11ObjectType = 'public' | 'private' | 'secret-key' | 'cert' | 'data';

export interface Pkcs11Uri {
  token?: string;
  object?: string;
  /** CKA_ID bytes. */
  id?: Buffer;
  type?: Pkcs11ObjectType;
  manufacturer?: string;
  model?: string;
  serial?: string;
  /** Every other path attribute (library-*, slot-*, x-vendor attributes) by name, decoded. */
  otherAttributes?: Record<string, string>;
}

const SCHEME = 'pkcs11:';
const OBJECT_TYPES: readonly Pkcs11ObjectType[] = ['public', 'private', 'secret-key', 'cert', 'data'];
const OTHER_PATH_ATTRIBUTES = new Set([
  'library-manufacturer',
  'library-description',
  'library-version',
  'slot-description',
  'slot-manufacturer',
  'slot-id',
]);
/** Characters RFC 7512 allows unencoded in a path attribute value (unreserved + pk11-res-avail, minus ';'). */
const PATH_VALUE_SAFE = /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/;

function decodeValue(raw: string, attribute: string, uri: string): Buffer {
  // Every HSM call parses its key's URI; most values have no percent-encoding at all.
  if (!raw.includes('%')) return Buffer.from(raw, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw invalid(uri, `attribute '${attribute}' has a malformed percent-encoding`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function invalid(uri: string, reason: string): HsmError {
  // The URI itself is safe to quote unless it carries a PIN, which parsePkcs11Uri refuses before quoting anything.
  return new HsmError('invalid-input', `'${uri}' is not a valid PKCS#11 URI: ${reason}`);
}

/** Parses an RFC 7512 URI. Throws HsmError 'invalid-input' naming what is wrong. */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (typeof uri !== 'string' || !uri.toLowerCase().startsWith(SCHEME)) {
    throw new HsmError('invalid-input', `a PKCS#11 URI must start with 'pkcs11:' (got ${JSON.stringify(String(uri).slice(0, 80))})`);
  }
  const rest = uri.slice(SCHEME.length);
  const queryStart = rest.indexOf('?');
  const path = queryStart < 0 ? rest : rest.slice(0, queryStart);
  const query = queryStart < 0 ? '' : rest.slice(queryStart + 1);
  if (/(^|&)pin-(value|source)=/i.test(query)) {
    throw new HsmError('invalid-input', 'a PKCS#11 URI must not carry a PIN (pin-value/pin-source): the PIN comes from the configuration');
  }
  const result: Pkcs11Uri = {};
  const seen = new Set<string>();
  for (const part of path === '' ? [] : path.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw invalid(uri, `path component '${part}' is not name=value`);
    const name = part.slice(0, eq).toLowerCase();
    if (seen.has(name)) throw invalid(uri, `attribute '${name}' appears twice`);
    seen.add(name);
    const value = decodeValue(part.slice(eq + 1), name, uri);
    assignAttribute(result, name, value, uri);
  }
  return result;
}

function assignAttribute(result: Pkcs11Uri, name: string, value: Buffer, uri: string): void {
  switch (name) {
    case 'token':
    case 'object':
    case 'manufacturer':
    case 'model':
    case 'serial':
      result[name] = value.toString('utf8');
      return;
    case 'id':
      result.id = value;
      return;
    case 'type': {
      const type = value.toString('utf8') as Pkcs11ObjectType;
      if (!OBJECT_TYPES.includes(type)) throw invalid(uri, `type must be one of ${OBJECT_TYPES.join(', ')}`);
      result.type = type;
      return;
    }
    default:
      if (!OTHER_PATH_ATTRIBUTES.has(name) && !name.startsWith('x-')) throw invalid(uri, `unknown attribute '${name}'`);
      result.otherAttributes = { ...result.otherAttributes, [name]: value.toString('utf8') };
  }
}

function encodeValue(value: string | Buffer, encodeAll: boolean): string {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  let out = '';
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += !encodeAll && byte < 0x80 && PATH_VALUE_SAFE.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Formats the identifying attributes as an RFC 7512 URI, percent-encoding what needs it (CKA_ID always). */
export function formatPkcs11Uri(parts: { token: string; object: string; id?: Buffer; type?: Pkcs11ObjectType }): string {
  const segments = [`token=${encodeValue(parts.token, false)}`, `object=${encodeValue(parts.object, false)}`];
  if (parts.id !== undefined) segments.push(`id=${encodeValue(parts.id, true)}`);
  if (parts.type !== undefined) segments.push(`type=${parts.type}`);
  return SCHEME + segments.join(';');
}
