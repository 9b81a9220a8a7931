import type { DistinguishedName, NameAttribute } from '@smpki/crypto';

/**
 * Parses a distinguished name as an operator types it on the command line: `CN=SM-Test-Market.CA,O=SM-Test-PKI-DE,C=DE`,
 * RDNs in encoding order (the order `openssl x509 -subject` prints), one attribute per RDN. A comma, equals sign or
 * backslash inside a value is escaped with a backslash (`O=Stadtwerke Musterstadt\, GmbH`).
 */
export function parseDistinguishedNameArgument(text: string, option = '--subject'): DistinguishedName {
  const attributes: NameAttribute[] = [];
  for (const part of splitUnescaped(text.trim(), ',')) {
    const [type, value, ...rest] = splitUnescaped(part, '=');
    if (type === undefined || value === undefined || rest.length > 0) {
      throw new Error(`${option}: "${part.trim()}" is not TYPE=value (escape a literal comma or equals sign with a backslash)`);
    }
    const name = type.trim();
    const unescaped = value.trim().replace(/\\(.)/g, '$1');
    if (!/^([A-Za-z][A-Za-z0-9]*|[0-2](\.\d+)+)$/.test(name)) throw new Error(`${option}: "${name}" is not an attribute type (CN, O, OU, C, serialNumber, ...)`);
    if (unescaped === '') throw new Error(`${option}: ${name} has an empty value`);
    attributes.push({ type: name, value: unescaped });
  }
  if (attributes.length === 0) throw new Error(`${option} is empty; e.g. "CN=SM-Test-Market.CA,O=SM-Test-PKI-DE,C=DE,serialNumber=1"`);
  return attributes;
}

/** Splits at `separator` where it is not preceded by a backslash escape; escapes stay in the parts. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[i + 1];
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
