/** OpenSSL (the CLI) as the independent oracle for signatures made by the key manager. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function spkiPem(spki: Buffer): string {
  const lines = spki.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${lines}\n-----END PUBLIC KEY-----\n`;
}

/** `openssl dgst -<hash> -verify pub.pem -signature sig.der data`; returns its output ("Verified OK"). */
export function opensslVerify(spki: Buffer, data: Buffer, derSignature: Buffer, hash: 'sha256' | 'sha384' | 'sha512'): string {
  const dir = mkdtempSync(join(tmpdir(), 'smpki-openssl-'));
  try {
    writeFileSync(join(dir, 'pub.pem'), spkiPem(spki));
    writeFileSync(join(dir, 'data'), data);
    writeFileSync(join(dir, 'sig.der'), derSignature);
    return execFileSync('openssl', ['dgst', `-${hash}`, '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'data')], {
      encoding: 'utf8',
    }).trim();
  } catch (error) {
    return `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
