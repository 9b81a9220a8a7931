/**
 * Canonical JSON: one spelling per value, so a hash over it is stable. Object keys are sorted by UTF-16 code
 * units, there is no whitespace, numbers and strings are written as JSON.stringify writes them (for this value
 * domain the result equals RFC 8785 JCS). Values that JSON cannot carry faithfully are refused rather than
 * silently changed; a Date becomes its ISO string.
 */
import { AuditEventError } from './audit-errors';

const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Serialises `value`; errors name the path of the refused value (`details.items[2].size`). */
export function canonicalJson(value: unknown, path = '$'): string {
  return write(value, path, 0, new Set());
}

function write(value: unknown, path: string, depth: number, ancestors: Set<object>): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return writeNumber(value, path);
  if (typeof value === 'string') return writeString(value, path);
  if (typeof value !== 'object') throw refused(path, `a ${typeof value} is not JSON`);
  if (depth >= MAX_DEPTH) throw refused(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.has(value)) throw refused(path, 'circular reference');
  if (value instanceof Date) return writeDate(value, path);
  if (ArrayBuffer.isView(value)) throw refused(path, 'binary data is not JSON; encode it as hex or base64');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return writeArray(value, path, depth, ancestors);
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw refused(path, `a ${value.constructor?.name ?? 'class instance'} is not a plain object`);
    }
    return writeObject(value as Record<string, unknown>, path, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function writeNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) throw refused(path, `${value} is not JSON`);
  return JSON.stringify(value);
}

function writeString(value: string, path: string): string {
  // A lone surrogate has no UTF-8 encoding: two different strings would hash alike.
  if (LONE_SURROGATE.test(value)) throw refused(path, 'string contains a lone UTF-16 surrogate');
  return JSON.stringify(value);
}

function writeDate(value: Date, path: string): string {
  if (Number.isNaN(value.getTime())) throw refused(path, 'invalid Date');
  return JSON.stringify(value.toISOString());
}

function writeArray(value: unknown[], path: string, depth: number, ancestors: Set<object>): string {
  const items = value.map((item, index) => {
    if (item === undefined) throw refused(`${path}[${index}]`, 'undefined is not JSON');
    return write(item, `${path}[${index}]`, depth + 1, ancestors);
  });
  return `[${items.join(',')}]`;
}

function writeObject(value: Record<string, unknown>, path: string, depth: number, ancestors: Set<object>): string {
  const members: string[] = [];
  // Default sort compares UTF-16 code units, as RFC 8785 requires.
  for (const key of Object.keys(value).sort()) {
    const member = value[key];
    if (member === undefined) continue; // as JSON.stringify: an absent optional field
    const memberPath = `${path}.${key}`;
    members.push(`${writeString(key, memberPath)}:${write(member, memberPath, depth + 1, ancestors)}`);
  }
  return `{${members.join(',')}}`;
}

function refused(path: string, reason: string): AuditEventError {
  return new AuditEventError(`${path}: ${reason}`);
}
