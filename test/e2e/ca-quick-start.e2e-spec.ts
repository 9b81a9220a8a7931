/**
 * After the quick start a user can issue certificates: `bash scripts/start.sh --detach` on a fresh data directory
 * creates a test hierarchy (brainpoolP384r1 root, sub-CA instances `calibration` and `market`), a ca-operator token
 * comes from `npm run smpki -- auth token`, and a certificate requested with `openssl req` is issued, verified by
 * OpenSSL up to the root, revoked and found revoked in the CRL the sub-CA serves. A restart reuses the hierarchy.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { EmbeddedPlatform } from './support/embedded-platform';
import { RecordingHttpClient } from './support/recording-http-client';
import { runCommand, type CommandResult } from './support/run-command';
import { userEnvironment } from './support/user-environment';

const START_TIMEOUT_MS = 180_000;
const CLI_TIMEOUT_MS = 60_000;
const CA_FILES = ['sm-test-root-1.pem', 'calibration.pem', 'market.pem'];
/** A subject and subjectAltName the sm-user-tls profile accepts (EMT role, 13-digit market-participant OU). */
const TLS_SUBJECT = '/CN=Company-Test.EMT.MAK/O=SM-Test-PKI-DE/OU=1234567890120/C=DE/serialNumber=1';
const TLS_SAN = 'subjectAltName=email:maco@company.invalid,URI:https://maco.company.invalid/,DNS:maco.company.invalid';

function expectExit(result: CommandResult, code: number): void {
  if (result.code === code) return;
  throw new Error(`${result.command} exited ${result.code ?? result.signal}, expected ${code}; its output:\n${result.stdout}\n${result.stderr}`);
}

describe('quick start: issuing a certificate from the test CA hierarchy', () => {
  const http = new RecordingHttpClient();
  let platform: EmbeddedPlatform;
  let firstStart: CommandResult;
  let work: string;
  let operatorToken: string;
  let issued: { serial: string; certificate: string; chain: string[] };
  const fingerprints: Record<string, string> = {};

  const caFile = (name: string): string => platform.path('ca', name);
  const openssl = async (args: string[]): Promise<CommandResult> =>
    runCommand('openssl', args, { cwd: work, env: userEnvironment({}), timeoutMs: 30_000 });
  const fingerprintOf = async (file: string): Promise<string> => {
    const result = await openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha256']);
    expectExit(result, 0);
    return result.stdout.trim();
  };
  const subCa = (path: string): string => `${platform.url('sub-ca')}${path}`;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'smpki-ca-quick-start-'));
    platform = await EmbeddedPlatform.create();
    firstStart = await platform.start();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await platform?.shutDown();
    platform?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('creates the hierarchy on the first start and names the CA instances in the banner', async () => {
    expectExit(firstStart, 0);
    expect(firstStart.stderr).toContain('creating the test CA hierarchy');
    for (const ca of ['calibration', 'market']) {
      expect(firstStart.stdout).toMatch(new RegExp(`^\\s+${ca}\\s+${subCa(`/v1/cas/${ca}`).replace(/\./g, '\\.')}\\s`, 'm'));
    }
    const config = JSON.parse(readFileSync(caFile('ca-config.json'), 'utf8'));
    expect(config.cas.map((ca: { name: string; profiles: string[] }) => [ca.name, ca.profiles])).toEqual([
      ['calibration', ['meter-calibration']],
      ['market', ['sm-user-tls', 'sm-user-sig', 'sm-user-enc', 'sm-gateway-tls', 'sm-gateway-sig', 'sm-gateway-enc']],
    ]);
    // The sub-CA certificates chain to the brainpoolP384r1 root and carry brainpoolP256r1 keys.
    const root = caFile('sm-test-root-1.pem');
    for (const ca of ['calibration', 'market']) {
      expect((await openssl(['verify', '-x509_strict', '-CAfile', root, caFile(`${ca}.pem`)])).stdout).toContain(': OK');
      expect((await openssl(['x509', '-in', caFile(`${ca}.pem`), '-noout', '-text'])).stdout).toContain('brainpoolP256r1');
    }
    expect((await openssl(['x509', '-in', root, '-noout', '-text'])).stdout).toContain('brainpoolP384r1');
    for (const file of CA_FILES) fingerprints[file] = await fingerprintOf(caFile(file));
  });

  it('gives an administrator a ca-operator token: npm run smpki -- auth token --role ca-operator', async () => {
    const result = await platform.smpki(['auth', 'token', '--role', 'ca-operator', '--subject', 'operator-e2e', '--ttl', '600']);
    expectExit(result, 0);
    operatorToken = /^(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/m.exec(result.stdout)?.[1] ?? '';
    const claims = decodeJwt(operatorToken);
    expect(claims).toMatchObject({ sub: 'operator-e2e', roles: ['ca-operator'] });
    expect(claims.exp! - claims.iat!).toBe(600);
  }, CLI_TIMEOUT_MS);

  it('issues a certificate from an openssl CSR through POST /v1/cas/market/certificates; openssl verifies it up to the root', async () => {
    expectExit(await openssl(['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'user.key']), 0);
    expectExit(await openssl(['req', '-new', '-key', 'user.key', '-sha256', '-subj', TLS_SUBJECT, '-addext', TLS_SAN, '-out', 'user.csr']), 0);
    const answer = await http.send(subCa('/v1/cas/market/certificates'), {
      method: 'POST',
      token: operatorToken,
      json: { profile: 'sm-user-tls', request: readFileSync(join(work, 'user.csr'), 'utf8') },
    });
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 201, body: { ca: 'market', profile: 'sm-user-tls', status: 'good' } });
    issued = answer.body;
    expect(issued.chain).toEqual([readFileSync(caFile('market.pem'), 'utf8'), readFileSync(caFile('sm-test-root-1.pem'), 'utf8')]);
    writeFileSync(join(work, 'user.pem'), issued.certificate);
    const verify = await openssl(['verify', '-x509_strict', '-CAfile', caFile('sm-test-root-1.pem'), '-untrusted', caFile('market.pem'), 'user.pem']);
    expect(verify.stdout).toContain('user.pem: OK');
    const text = (await openssl(['x509', '-in', 'user.pem', '-noout', '-ext', 'crlDistributionPoints'])).stdout;
    expect(text).toContain(`URI:${subCa('/v1/cas/market/crl')}`);
  });

  it('revokes it; the CRL from GET /v1/cas/market/crl makes openssl say revoked', async () => {
    const revoked = await http.send(subCa(`/v1/cas/market/certificates/${issued.serial}/revocation`), {
      method: 'POST',
      token: operatorToken,
      json: { reason: 'keyCompromise' },
    });
    expect({ status: revoked.status, state: revoked.body.status }).toEqual({ status: 200, state: 'revoked' });
    // Anyone may fetch the CRL (relying parties): no token.
    const crl = await fetch(subCa('/v1/cas/market/crl'));
    expect({ status: crl.status, type: crl.headers.get('content-type') }).toEqual({ status: 200, type: 'application/pkix-crl' });
    writeFileSync(join(work, 'market.crl'), Buffer.from(await crl.arrayBuffer()));
    expectExit(await openssl(['crl', '-inform', 'DER', '-in', 'market.crl', '-out', 'market-crl.pem']), 0);
    const verify = await openssl(['verify', '-crl_check', '-CAfile', caFile('sm-test-root-1.pem'), '-untrusted', caFile('market.pem'), '-CRLfile', 'market-crl.pem', 'user.pem']);
    expect(verify.stdout + verify.stderr).toContain('certificate revoked');
  });

  it('reuses the hierarchy after a restart: same CA certificates, and the market CA still knows the revoked certificate', async () => {
    expectExit(await platform.stop(), 0);
    const restart = await platform.start();
    expectExit(restart, 0);
    expect(restart.stderr).not.toContain('creating the test CA hierarchy');
    for (const file of CA_FILES) expect({ file, fingerprint: await fingerprintOf(caFile(file)) }).toEqual({ file, fingerprint: fingerprints[file] });
    const again = await http.send(subCa(`/v1/cas/market/certificates/${issued.serial}`), { token: operatorToken });
    expect({ status: again.status, state: again.body.status }).toEqual({ status: 200, state: 'revoked' });
  }, START_TIMEOUT_MS);
});
