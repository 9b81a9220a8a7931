/**
 * `smpki root-ca` as an operator runs it offline: ceremony file in, root certificate and signed transcript out;
 * a sub-CA request file certified; the sub-CA revoked and a root CRL file that openssl accepts; a rollover whose
 * link certificate carries the old root's trust to the new root's sub-CAs. A CRMF sub-CA request file is certified
 * like a PKCS#10 one; a rollover of an indirect-CRL root writes the new CRL signer. Refusals: one stderr line, exit 1,
 * audited in the root's database.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestToken, SOFTHSM_MODULE, type TestToken } from '../support/softhsm';
import { OpensslWorkspace } from '../crypto/support/openssl';
import { opensslRequest } from '../ca/support/ca-test-pki';
import { DataSource } from 'typeorm';
import { ceremonyFile } from './support/ceremony-file';
import { subCaCrmfRequest } from './support/crmf-request';

const ROOT = resolve(__dirname, '../..');
const RUNNER = join(ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');

describe('smpki root-ca (offline, files in and out)', () => {
  jest.setTimeout(90_000);
  let token: TestToken;
  let workspace: OpensslWorkspace;
  let env: NodeJS.ProcessEnv;

  function smpki(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, ['--require', RUNNER, join(ROOT, 'apps/cli/src/main.ts'), '--service', 'root-ca', 'root-ca', ...args], {
      encoding: 'utf8',
      env,
      cwd: workspace.dir,
      timeout: 60_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  beforeAll(() => {
    token = createTestToken('smpki-root');
    workspace = new OpensslWorkspace();
    const pinFile = workspace.write('pin', token.userPin);
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SOFTHSM2_CONF: token.configPath,
      SMPKI_DATA_DIR: workspace.dir,
      SMPKI_DB_URL: `sqlite:${join(workspace.dir, 'root-ca.sqlite')}`,
      SMPKI_HSM_MODULE: SOFTHSM_MODULE,
      SMPKI_HSM_TOKEN: token.label,
      SMPKI_HSM_PIN_FILE: pinFile,
    };
  });
  afterAll(() => {
    token?.remove();
    workspace?.remove();
  });

  it('runs the ceremony, certifies and revokes a sub-CA, signs a root CRL, rolls over: openssl accepts every file', () => {
    const keyUri = `pkcs11:token=${token.label};object=root-1`;
    workspace.write('ceremony.json', ceremonyFile(keyUri));
    const ceremony = smpki('ceremony', '--file', 'ceremony.json', '--out', 'out', '--operator', 'CN=officer-1');
    expect(ceremony.stderr).toBe('');
    expect(ceremony.status).toBe(0);
    expect(workspace.run(['x509', '-in', 'out/test-root-1.pem', '-noout', '-text']).output).toContain('ecdsa-with-SHA384');
    expect(workspace.run(['x509', '-inform', 'DER', '-in', 'out/test-root-1.der', '-noout', '-subject']).output).toContain('SM-Test-Root.CA');
    const transcript = JSON.parse(readFileSync(join(workspace.dir, 'out/test-root-1.transcript.json'), 'utf8'));
    expect(transcript.transcript).toMatchObject({ operator: 'CN=officer-1', keyUri });

    // Same key URI again: refused, one line naming the rule.
    const again = smpki('ceremony', '--file', 'ceremony.json', '--out', 'out');
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 1, stderr: `smpki: ceremony.key-exists: the HSM already holds a key ${keyUri}\n` });

    writeFileSync(join(workspace.dir, 'sub.csr'), opensslRequest(workspace, 'sub', { subject: '/CN=Test-Metering.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] }));
    const certify = smpki('certify', '--root', 'test-root-1', '--request', 'sub.csr', '--out', 'sub.pem');
    expect(certify.stderr).toBe('');
    expect(certify.status).toBe(0);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'out/test-root-1.pem', 'sub.pem']).output).toContain('sub.pem: OK');

    writeFileSync(join(workspace.dir, 'bad.csr'), opensslRequest(workspace, 'bad', { subject: '/CN=Not-A-CA/O=SM-Test-PKI-DE/C=DE/serialNumber=1', extensions: [] }));
    const bad = smpki('certify', '--root', 'test-root-1', '--request', 'bad.csr', '--out', 'bad.pem');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^smpki: name\.cn\.suffix: .+\n$/);

    const serial = workspace.run(['x509', '-in', 'sub.pem', '-noout', '-serial']).output.trim().split('=')[1]!;
    expect(smpki('revoke', '--root', 'test-root-1', '--serial', serial, '--reason', 'cACompromise').status).toBe(0);
    expect(smpki('crl', '--root', 'test-root-1', '--out', 'root-crl.pem').status).toBe(0);
    expect(workspace.run(['crl', '-in', 'root-crl.pem', '-CAfile', 'out/test-root-1.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-extended_crl', '-CAfile', 'out/test-root-1.pem', '-CRLfile', 'root-crl.pem', 'sub.pem']).output).toContain('certificate revoked');

    const rollover = smpki('rollover', '--from', 'test-root-1', '--name', 'test-root-2', '--key-uri', `pkcs11:token=${token.label};object=root-2`, '--out', 'out');
    expect(rollover.stderr).toBe('');
    expect(rollover.status).toBe(0);
    writeFileSync(join(workspace.dir, 'sub2.csr'), opensslRequest(workspace, 'sub2', { subject: '/CN=Test-Next.CA/O=SM-Test-PKI-DE/C=DE/serialNumber=2', extensions: [] }));
    expect(smpki('certify', '--root', 'test-root-2', '--request', 'sub2.csr', '--out', 'sub2.pem').status).toBe(0);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'out/test-root-1.pem', '-untrusted', 'out/test-root-2-new-with-old.pem', 'sub2.pem']).output).toContain('sub2.pem: OK');
  });
  it('certifies a CRMF request file; rolls an indirect-CRL root over with a new CRL signer; refusals are audited', async () => {
    const signer = [{ type: 'CN', value: 'SM-Test-Cli-Root.CRL-S' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }];
    workspace.write('ind-ceremony.json', ceremonyFile(`pkcs11:token=${token.label};object=ind-root-1`, {
      name: 'ind-root-1',
      subject: [{ type: 'CN', value: 'SM-Test-Cli-Root.CA' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }, { type: 'serialNumber', value: '1' }],
      crl: { http: 'http://crl.test.invalid/cli-root.crl', validityHours: 720, signer: { keyUri: `pkcs11:token=${token.label};object=ind-root-1-crl`, subject: signer } },
    }));
    expect(smpki('ceremony', '--file', 'ind-ceremony.json', '--out', 'ind').status).toBe(0);

    writeFileSync(join(workspace.dir, 'crmf-sub.der'), await subCaCrmfRequest());
    const certify = smpki('certify', '--root', 'ind-root-1', '--request', 'crmf-sub.der', '--out', 'crmf-sub.pem');
    expect(certify.stderr).toBe('');
    expect(certify.status).toBe(0);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'ind/ind-root-1.pem', 'crmf-sub.pem']).output).toContain('crmf-sub.pem: OK');

    writeFileSync(join(workspace.dir, 'tampered.der'), await subCaCrmfRequest({ tamperPop: true }));
    const tampered = smpki('certify', '--root', 'ind-root-1', '--request', 'tampered.der', '--out', 'tampered.pem', '--operator', 'CN=officer-2');
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/^smpki: crmf\.pop-invalid: .+\n$/);
    const db = await new DataSource({ type: 'better-sqlite3', database: join(workspace.dir, 'root-ca.sqlite'), readonly: true }).initialize();
    const refusals: { actor: string; target: string; details: string }[] = await db.query(`SELECT actor, target, details FROM audit_event WHERE action = 'request.refused'`);
    await db.destroy();
    expect(refusals.some((row) => row.actor === 'CN=officer-2' && row.target === 'smpki root-ca certify' && String(row.details).includes('crmf.pop-invalid'))).toBe(true);

    const rollover = smpki('rollover', '--from', 'ind-root-1', '--name', 'ind-root-2', '--key-uri', `pkcs11:token=${token.label};object=ind-root-2`, '--out', 'ind');
    expect(rollover.stderr).toBe('');
    expect(rollover.status).toBe(0);
    expect(rollover.stdout).toContain('ind-root-2-crl-signer');
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'ind/ind-root-2.pem', 'ind/ind-root-2-crl-signer.pem']).output).toContain('OK');
    writeFileSync(join(workspace.dir, 'crmf-sub2.der'), await subCaCrmfRequest());
    expect(smpki('certify', '--root', 'ind-root-2', '--request', 'crmf-sub2.der', '--out', 'crmf-sub2.pem').status).toBe(0);
    const serial = workspace.run(['x509', '-in', 'crmf-sub2.pem', '-noout', '-serial']).output.trim().split('=')[1]!;
    expect(smpki('revoke', '--root', 'ind-root-2', '--serial', serial, '--reason', 'cACompromise').status).toBe(0);
    expect(smpki('crl', '--root', 'ind-root-2', '--out', 'ind-root-2-crl.pem').status).toBe(0);
    expect(workspace.run(['crl', '-in', 'ind-root-2-crl.pem', '-CAfile', 'ind/ind-root-2-crl-signer.pem', '-noout']).output).toContain('verify OK');
    const verify = ['verify', '-crl_check', '-extended_crl', '-CAfile', 'ind/ind-root-2.pem', '-untrusted', 'ind/ind-root-2-crl-signer.pem', '-CRLfile', 'ind-root-2-crl.pem', 'crmf-sub2.pem'];
    expect(workspace.run(verify).output).toContain('certificate revoked');
  });
});
