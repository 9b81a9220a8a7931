import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A trusted checkpoint key could not be read; the message names the file and why. */
export class TrustedKeyError extends Error {
  override readonly name = 'TrustedKeyError';
}

/** A PEM public key or certificate, or a DER SubjectPublicKeyInfo, as DER SPKI. */
export function readTrustedKey(file: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new TrustedKeyError(`cannot read trusted key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const pem = content.toString('latin1');
    const key = pem.includes('-----BEGIN') ? createPublicKey(pem) : createPublicKey({ key: content, format: 'der', type: 'spki' });
    return key.export({ format: 'der', type: 'spki' });
  } catch {
    throw new TrustedKeyError(`trusted key ${file} is not a PEM public key, PEM certificate or DER SubjectPublicKeyInfo`);
  }
}
