/** PEM (RFC 7468) armour. Labels: `CERTIFICATE`, `X509 CRL` (what OpenSSL needs, not `CRL`), `CERTIFICATE REQUEST`. */
import { CryptoInputError } from './crypto-input-error';
import { asBuffer } from './der/der-reader';

export type PemLabel = 'CERTIFICATE' | 'X509 CRL' | 'CERTIFICATE REQUEST' | 'PUBLIC KEY' | (string & {});

export function toPem(der: Uint8Array, label: PemLabel): string {
  const base64 = asBuffer(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The DER of the first PEM block with one of `labels`. */
export function fromPem(text: string, labels: readonly PemLabel[]): Buffer {
  for (const match of text.matchAll(BLOCK)) {
    if (!labels.includes(match[1]!)) continue;
    const body = match[2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
      throw new CryptoInputError('pem.malformed', `PEM block '${match[1]}' is not valid base64`);
    }
    return Buffer.from(body, 'base64');
  }
  throw new CryptoInputError('pem.malformed', `no PEM block labelled ${labels.map((label) => `'${label}'`).join(' or ')}`);
}

/**
 * DER bytes from DER or PEM input: a string is PEM, and so is a byte array that starts with `-----BEGIN`
 * (a file read without knowing its format).
 */
export function derFromInput(input: Uint8Array | string, labels: readonly PemLabel[]): Buffer {
  if (typeof input === 'string') return fromPem(input, labels);
  const bytes = asBuffer(input);
  if (bytes.subarray(0, 11).toString('latin1') === '-----BEGIN ') return fromPem(bytes.toString('latin1'), labels);
  return bytes;
}
