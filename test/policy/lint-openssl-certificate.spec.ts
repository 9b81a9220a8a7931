/**
 * A certificate no code of ours produced: an EMT signature certificate issued with the OpenSSL CLI from a careless
 * extension file (keyUsage not critical, no subjectAltName) and OpenSSL's -days validity (notAfter at the time of
 * issue, not 23:59:59). The linter reports exactly those three rules, and the chain checks pass.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintCertificate } from '@smpki/policy';

let dir: string;
const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smpki-lint-openssl-'));
  openssl('ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'ca.key');
  openssl(
    'req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '1500', '-out', 'ca.crt',
    '-subj', '/CN=Test-Sub.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1',
    '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'user.key');
  openssl('req', '-new', '-key', 'user.key', '-out', 'user.csr', '-subj', '/CN=Company-Test.EMT.MAK/O=SM-Test-PKI-DE/OU=1234567890120/C=DE/serialNumber=1');
  writeFileSync(
    join(dir, 'ext.cnf'),
    [
      'keyUsage = digitalSignature',
      'basicConstraints = critical, CA:FALSE',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      'certificatePolicies = 1.3.6.1.4.1.99999.1.2',
      'crlDistributionPoints = URI:ldap://ldap.example.org/cn=Test-Sub.CA?certificateRevocationList',
      '',
    ].join('\n'),
  );
  openssl('x509', '-req', '-in', 'user.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '730', '-sha256', '-extfile', 'ext.cnf', '-outform', 'DER', '-out', 'user.der');
  openssl('x509', '-in', 'ca.crt', '-outform', 'DER', '-out', 'ca.der');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports the careless extension file and the validity by rule name', () => {
  const result = lintCertificate(readFileSync(join(dir, 'user.der')), { issuer: readFileSync(join(dir, 'ca.der')) });
  expect(result.profile).toBe('sm-user-sig');
  expect(result.ok).toBe(false);
  expect(result.findings.map((finding) => finding.rule).sort()).toEqual(['ext.keyUsage.critical', 'ext.san.required', 'validity.not-after-end-of-day']);
});
