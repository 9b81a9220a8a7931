/** `smpki lint`: the profile checks as a command, on real SM-PKI certificates and on one made carelessly with openssl. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const REAL = resolve(ROOT, '../shared/testdata/sm-pki-real');
const RUNNER = join(ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');

function smpki(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--require', RUNNER, join(ROOT, 'apps/cli/src/main.ts'), ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('smpki lint', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-lint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the real SM-PKI end-user and sub-CA certificates, recognising their profiles', () => {
    const files = readdirSync(REAL).filter((name) => name.endsWith('.cer')).map((name) => join(REAL, name));
    const run = smpki('lint', ...files, join(REAL, 'renewcert1.der'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('tls.cer: sm-user-tls: ok');
    expect(run.stdout).toContain('renewcert1.der: sm-sub-ca: ok');
  });

  it('names each rule a careless certificate breaks and exits 1', () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    execFileSync('openssl', ['req', '-new', '-x509', '-key', key, '-out', cert, '-days', '1000', '-subj', '/CN=TEST.EMT.X/O=SM-PKI-DE/OU=9978987000008/C=DE']);
    const run = smpki('lint', '--profile', 'sm-user-tls', '--json', cert);
    expect(run.status).toBe(1);
    const [result] = JSON.parse(run.stdout) as Array<{ ok: boolean; findings: Array<{ rule: string; severity: string }> }>;
    const rules = result!.findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule);
    expect(result!.ok).toBe(false);
    expect(rules).toEqual(expect.arrayContaining(['key.curve', 'ext.san.required', 'validity.not-after-end-of-day']));
  });

  it('refuses an unreadable file with one line and exit 2', () => {
    const run = smpki('lint', join(dir, 'missing.pem'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('missing.pem');
  });
});
