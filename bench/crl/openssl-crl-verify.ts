/** `openssl crl` checking a CRL's signature against the CA certificate(s) in `caPath`. */
import { spawnSync } from 'node:child_process';

export function opensslVerifiesCrl(crlPath: string, caPath: string, inform: 'DER' | 'PEM'): boolean {
  const result = spawnSync('openssl', ['crl', '-in', crlPath, '-inform', inform, '-CAfile', caPath, '-noout'], { encoding: 'utf8' });
  return result.status === 0 && `${result.stdout}${result.stderr}`.includes('verify OK');
}
