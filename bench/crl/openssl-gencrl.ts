/**
 * The comparison: `openssl ca -gencrl` producing the CRL of the same list from an index.txt, with a software
 * brainpoolP256r1 key (openssl cannot use the HSM key), timed and measured by GNU time (elapsed, max RSS).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OpensslCrlRun {
  seconds: number;
  maxRssMb: number;
  crlPath: string;
  caPath: string;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stderr;
}

/** A CA key and self-signed certificate for openssl, and the `openssl ca` configuration around `index.txt`. */
export function prepareOpensslCa(dir: string): void {
  run('openssl', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  run('openssl', ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '30', '-subj', '/CN=Bench-OpenSSL.CA/O=SM-Test-PKI-DE/C=DE', '-out', 'openssl-ca.pem'], dir);
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  writeFileSync(
    join(dir, 'openssl-ca.cnf'),
    [
      '[ ca ]',
      'default_ca = bench',
      '[ bench ]',
      'database = index.txt',
      'crlnumber = crlnumber',
      'certificate = openssl-ca.pem',
      'private_key = ca.key',
      'default_md = sha256',
      'default_crl_days = 7',
      'unique_subject = no',
      'crl_extensions = crl_ext',
      '[ crl_ext ]',
      'authorityKeyIdentifier = keyid:always',
      '',
    ].join('\n'),
  );
}

/** Runs `openssl ca -gencrl` under /usr/bin/time. */
export function opensslGenCrl(dir: string): OpensslCrlRun {
  const stderr = run('/usr/bin/time', ['-f', 'SMPKI_TIME %e %M', 'openssl', 'ca', '-batch', '-config', 'openssl-ca.cnf', '-gencrl', '-out', 'openssl.crl'], dir);
  const match = /SMPKI_TIME ([\d.]+) (\d+)/.exec(stderr);
  if (!match) throw new Error(`no timing from /usr/bin/time: ${stderr}`);
  return { seconds: Number(match[1]), maxRssMb: Number(match[2]) / 1024, crlPath: join(dir, 'openssl.crl'), caPath: join(dir, 'openssl-ca.pem') };
}
