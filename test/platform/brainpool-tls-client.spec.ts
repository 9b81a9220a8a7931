/**
 * Node 24's legacy certificate conversion crashes the process (SIGSEGV) on brainpool keys, and every Node TLS client
 * runs it for the hostname check. A Node HTTPS client (a child process, so the crash cannot take jest down) connects
 * to servers with a brainpoolP256r1 and a P-256 certificate: without the platform's fix it dies on brainpool; with
 * it both succeed, the hostname check still refuses a name the certificate does not carry, and the peer certificate
 * stays readable (Node hands it out only once).
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
const CURVES = ['brainpoolP256r1', 'P-256'] as const;
type ServerCurve = (typeof CURVES)[number];

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA and a server certificate for localhost / 127.0.0.1 on `curve`, in `dir/<curve>-*.pem`. */
function makeServerPki(dir: string, curve: ServerCurve): void {
  const key = ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-nodes'];
  openssl(dir, 'req', '-x509', ...key, '-keyout', `${curve}-ca.key`, '-out', `${curve}-ca.pem`, '-subj', '/C=DE/O=SM-Test-PKI-DE/CN=Test TLS CA', '-days', '2',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  openssl(dir, 'req', '-new', ...key, '-keyout', `${curve}-server.key`, '-out', `${curve}-server.csr`, '-subj', '/C=DE/O=SM-Test-PKI-DE/CN=localhost');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(dir, 'x509', '-req', '-in', `${curve}-server.csr`, '-CA', `${curve}-ca.pem`, '-CAkey', `${curve}-ca.key`, '-set_serial', '0x0A', '-days', '2',
    '-out', `${curve}-server.pem`, '-extfile', 'server.ext');
}

describe('Node TLS clients and brainpool server certificates', () => {
  let dir: string;
  const servers = new Map<ServerCurve, { server: Server; port: number }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-bp-tls-'));
    for (const curve of CURVES) {
      makeServerPki(dir, curve);
      const server = createServer({ cert: readFileSync(join(dir, `${curve}-server.pem`)), key: readFileSync(join(dir, `${curve}-server.key`)), ecdhCurve: 'P-256:brainpoolP256r1' }, (_req, res) => res.end('ok'));
      await new Promise<void>((done) => server.listen(0, '0.0.0.0', done));
      servers.set(curve, { server, port: (server.address() as AddressInfo).port });
    }
  });

  afterAll(async () => {
    for (const { server } of servers.values()) await new Promise((done) => server.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the client child process (async: the servers answer from this process's event loop). */
  const client = (curve: ServerCurve, host: string, mode: 'fixed' | 'plain') =>
    new Promise<{ stdout: string; signal: NodeJS.Signals | null }>((done) => {
      const url = `https://${host}:${servers.get(curve)!.port}/`;
      const child = spawn(process.execPath, ['--require', HOOKS, CLIENT, url, join(dir, `${curve}-ca.pem`), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.on('exit', (_code, signal) => done({ stdout: stdout.trim(), signal }));
    });

  it('crashes a plain Node client on a brainpool server (the bug the fix exists for; once this fails, Node has fixed it)', async () => {
    expect((await client('brainpoolP256r1', '127.0.0.1', 'plain')).signal).toBe('SIGSEGV');
  });

  it.each(CURVES)('connects to a %s server with the fix installed, by IP and by name', async (curve) => {
    expect((await client(curve, '127.0.0.1', 'fixed')).stdout).toBe('status 200 peer localhost');
    expect((await client(curve, 'localhost', 'fixed')).stdout).toBe('status 200 peer localhost');
  });

  it.each(CURVES)('still refuses a host name the %s certificate does not carry', async (curve) => {
    // The listener is on 0.0.0.0, so 127.0.0.2 reaches it; the certificate names only localhost and 127.0.0.1.
    expect((await client(curve, '127.0.0.2', 'fixed')).stdout).toBe('error ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('builds the legacy fields from X509Certificate for brainpool keys', () => {
    const certificate = new X509Certificate(readFileSync(join(dir, 'brainpoolP256r1-server.pem')));
    expect(isBrainpoolCertificate(certificate)).toBe(true);
    expect(isBrainpoolCertificate(new X509Certificate(readFileSync(join(dir, 'P-256-server.pem'))))).toBe(false);
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
