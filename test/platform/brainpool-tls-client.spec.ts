/**
 * Node 24's legacy certificate conversion crashes the process (SIGSEGV) on brainpool keys, and every Node TLS client
 * runs it for the hostname check. These tests connect a Node HTTPS client (a child process, so the crash cannot take
 * jest down) to a server with a brainpoolP256r1 certificate: without the platform's fix it dies, with it the request
 * succeeds and the hostname check still refuses a name the certificate does not carry.
 */
import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brainpoolLegacyObject, isBrainpoolCertificate, legacyName } from '../../libs/platform/src/tls/brainpool-legacy-certificate';

const ROOT = join(__dirname, '../..');
const HOOKS = join(ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');
const CLIENT = join(__dirname, 'support/brainpool-tls-client.ts');

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

describe('Node TLS clients and brainpool server certificates', () => {
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-bp-tls-'));
    openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
      '-subj', '/C=DE/O=SM-Test-PKI-DE/CN=Test TLS CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    openssl(dir, 'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
      '-subj', '/C=DE/O=SM-Test-PKI-DE/CN=localhost');
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x0A', '-days', '2', '-out', 'server.pem', '-extfile', 'server.ext');
    server = createServer({ cert: readFileSync(join(dir, 'server.pem')), key: readFileSync(join(dir, 'server.key')), ecdhCurve: 'P-256:brainpoolP256r1' }, (_req, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '0.0.0.0', done));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((done) => server?.close(done) ?? done(undefined));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the client child process (async: the server answers from this process's event loop). */
  const client = (host: string, mode: 'fixed' | 'plain') =>
    new Promise<{ stdout: string; signal: NodeJS.Signals | null }>((done) => {
      const child = spawn(process.execPath, ['--require', HOOKS, CLIENT, `https://${host}:${port}/`, join(dir, 'ca.pem'), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.on('exit', (_code, signal) => done({ stdout: stdout.trim(), signal }));
    });

  it('crashes a plain Node client (the bug the fix exists for; once this fails, Node has fixed it)', async () => {
    expect((await client('127.0.0.1', 'plain')).signal).toBe('SIGSEGV');
  });

  it('connects with the fix installed', async () => {
    expect((await client('127.0.0.1', 'fixed')).stdout).toBe('status 200');
    expect((await client('localhost', 'fixed')).stdout).toBe('status 200');
  });

  it('still refuses a host name the brainpool certificate does not carry', async () => {
    // The listener is on 0.0.0.0, so 127.0.0.2 reaches it; the certificate names only localhost and 127.0.0.1.
    expect((await client('127.0.0.2', 'fixed')).stdout).toBe('error ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('builds the legacy fields from X509Certificate for brainpool keys', () => {
    const certificate = new X509Certificate(readFileSync(join(dir, 'server.pem')));
    expect(isBrainpoolCertificate(certificate)).toBe(true);
    const legacy = brainpoolLegacyObject(certificate);
    expect(legacy.subject).toEqual({ C: 'DE', O: 'SM-Test-PKI-DE', CN: 'localhost' });
    expect(legacy.subjectaltname).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(legacy.fingerprint256).toBe(certificate.fingerprint256);
    expect(legacy.pubkey).toHaveLength(65);
    expect(legacy.pubkey![0]).toBe(0x04);
    expect(legacy.bits).toBe(256);
    expect(legacyName('CN=a\nOU=x\nOU=y')).toEqual({ CN: 'a', OU: ['x', 'y'] });
  });
});
