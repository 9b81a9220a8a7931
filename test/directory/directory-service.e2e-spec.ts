/**
 * The directory service end to end: entries made from real certificates and CRLs (openssl) are pushed through the
 * ingest API, then fetched with Debian's ldapsearch and over HTTP, byte for byte.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AuthSettings, TokenService } from '@smpki/auth';
import { KEY_MANAGER } from '@smpki/platform';
import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import { DirectoryModule } from '../../apps/directory/src/directory.module';
import { LdapLifecycleService } from '../../apps/directory/src/ldap/ldap-lifecycle.service';
import { createPlatformToken, type PlatformToken } from '../platform/support/platform-token';
import { startTestService, type TestService } from '../platform/support/test-service';

const CA_DN = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
const METER_ID = '1EMH0000000001';
const METER_DN = `serialNumber=${METER_ID},${CA_DN}`;

interface TestPki {
  dir: string;
  caDer: Buffer;
  meterDer: Buffer;
  meterSerial: string;
  crlDer: Buffer;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A P-256 CA, a meter certificate it issued and its CRL, made by openssl. */
function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'smpki-directory-'));
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  openssl(dir, 'req', '-new', '-x509', '-key', 'ca.key', '-subj', '/C=DE/O=SM-Test-PKI-DE/CN=SM-Test-Calibration.CA', '-days', '30', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'meter.key');
  openssl(dir, 'req', '-new', '-key', 'meter.key', '-subj', `/CN=${METER_ID}/serialNumber=${METER_ID}`, '-out', 'meter.csr');
  openssl(dir, 'x509', '-req', '-in', 'meter.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1A2B3C', '-days', '30', '-out', 'meter.pem');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(join(dir, 'ca.cnf'), `[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\ncrlnumber=crlnumber\ndefault_md=sha256\ndefault_crl_days=7\n`);
  openssl(dir, 'ca', '-config', 'ca.cnf', '-gencrl', '-keyfile', 'ca.key', '-cert', 'ca.pem', '-out', 'ca.crl.pem');
  const der = (pem: string, kind: 'x509' | 'crl') => {
    openssl(dir, kind, '-in', pem, '-outform', 'DER', '-out', `${pem}.der`);
    return readFileSync(join(dir, `${pem}.der`));
  };
  return { dir, caDer: der('ca.pem', 'x509'), meterDer: der('meter.pem', 'x509'), meterSerial: '1a2b3c', crlDer: der('ca.crl.pem', 'crl') };
}

function entriesOf(pki: TestPki, version: string) {
  return [
    { kind: 'ca', ca: 'calibration', dn: CA_DN, certificate: pki.caDer.toString('base64'), version },
    { kind: 'crl', ca: 'calibration', dn: CA_DN, crl: pki.crlDer.toString('base64'), crlNumber: 1, version },
    {
      kind: 'certificate', ca: 'calibration', dn: METER_DN, certificate: pki.meterDer.toString('base64'), serial: pki.meterSerial,
      fingerprint: createHash('sha256').update(pki.meterDer).digest('hex'), commonName: METER_ID, meterId: METER_ID, revoked: false, version,
    },
  ];
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a client asynchronously: the LDAP server answers from this process's event loop, which spawnSync would block. */
function run(command: string, args: string[], input?: string, cwd?: string, env?: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** ldapsearch -LLL output without line wrapping: the base64 values of `attribute` (`attribute:: value`). */
function ldapValues(output: string, attribute: string): Buffer[] {
  return output.split('\n').filter((line) => line.startsWith(`${attribute}:: `)).map((line) => Buffer.from(line.slice(attribute.length + 3), 'base64'));
}

describe('directory service', () => {
  let platform: PlatformToken;
  let service: TestService;
  let pki: TestPki;
  let auth: { Authorization: string };
  let ldapUrl: string;

  beforeAll(async () => {
    pki = makePki();
    platform = await createPlatformToken('directory-e2e');
    process.env.SMPKI_LDAP_PORT = '0';
    process.env.SMPKI_LDAP_HOST = '127.0.0.1';
    // LDAPS with a P-256 server certificate issued by the test CA (brainpool works the same for clients that know it).
    openssl(pki.dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ldaps.key');
    openssl(pki.dir, 'req', '-new', '-key', 'ldaps.key', '-subj', '/CN=127.0.0.1', '-out', 'ldaps.csr');
    writeFileSync(join(pki.dir, 'ldaps.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    openssl(pki.dir, 'x509', '-req', '-in', 'ldaps.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '7', '-days', '2', '-extfile', 'ldaps.ext', '-out', 'ldaps.pem');
    process.env.SMPKI_LDAPS_PORT = '0';
    process.env.SMPKI_LDAPS_CERT_FILE = join(pki.dir, 'ldaps.pem');
    process.env.SMPKI_LDAPS_KEY_FILE = join(pki.dir, 'ldaps.key');
    service = await startTestService({ service: 'directory', rootModule: DirectoryModule, platform, listen: true });
    ldapUrl = `ldap://127.0.0.1:${service.app.get(LdapLifecycleService).port}`;
    const settings = service.app.get(AuthSettings);
    const signer = await service.app.get(KEY_MANAGER).createSigner(platform.tokenKeyUri);
    const issuer = new TokenService(new AuthSettings({
      issuer: settings.issuer, audience: settings.audience, tokenTtlSeconds: settings.tokenTtlSeconds, tokenSigner: signer,
      verificationKeys: [], accessRules: DEFAULT_ACCESS_RULES, eventSink: { record: async () => undefined },
    }));
    auth = { Authorization: `Bearer ${(await issuer.issue({ subject: 'sub-ca-publisher', roles: ['publisher'] })).accessToken}` };
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    platform?.remove();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
    delete process.env.SMPKI_LDAP_PORT;
    delete process.env.SMPKI_LDAP_HOST;
    delete process.env.SMPKI_LDAPS_PORT;
    delete process.env.SMPKI_LDAPS_CERT_FILE;
    delete process.env.SMPKI_LDAPS_KEY_FILE;
  });

  const ingest = (entries: unknown[]) => request(service.app.getHttpServer()).post('/v1/directory/entries').set(auth).send({ entries });
  const ldapsearch = (...args: string[]) => run('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', ldapUrl, ...args]);

  it('accepts a batch from a publisher, and the same batch again changes nothing', async () => {
    const first = await ingest(entriesOf(pki, '2026-11-01T00:00:00.000Z'));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ applied: 3, unchanged: 0 });
    const again = await ingest(entriesOf(pki, '2026-11-01T00:00:00.000Z'));
    expect(again.body).toEqual({ applied: 3, unchanged: 3 });
    const all = await ldapsearch('-b', 'c=DE', '-s', 'sub', '(objectClass=*)', 'dn');
    expect(all.stdout.match(/^dn: /gm)).toHaveLength(4); // c=DE, o=..., the CA, the meter
  });

  it('ignores an older version of an entry', async () => {
    const older = entriesOf(pki, '2026-10-01T00:00:00.000Z')[2]!;
    const response = await ingest([{ ...older, revoked: true }]);
    expect(response.body).toEqual({ applied: 1, unchanged: 1 });
    const search = await ldapsearch('-b', CA_DN, `(serialNumber=${METER_ID})`, 'smpkiRevoked');
    expect(search.stdout).toContain('smpkiRevoked: FALSE');
  });

  it('refuses a caller without the publisher role and a malformed entry', async () => {
    const anonymous = await request(service.app.getHttpServer()).post('/v1/directory/entries').send({ entries: entriesOf(pki, '2026-11-01T00:00:00.000Z') });
    expect(anonymous.status).toBe(401);
    const bad = await ingest([{ ...entriesOf(pki, '2026-11-02T00:00:00.000Z')[2]!, fingerprint: '00'.repeat(32) }]);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('entries[0].fingerprint');
  });

  it('serves the meter certificate to ldapsearch by meter id, byte for byte', async () => {
    const search = await ldapsearch('-b', 'o=SM-Test-PKI-DE,c=DE', `(serialNumber=${METER_ID})`, 'userCertificate;binary');
    expect(search.status).toBe(0);
    expect(ldapValues(search.stdout, 'userCertificate;binary')).toEqual([pki.meterDer]);
  });

  it('serves the CA certificate and CRL on the CA entry (base search)', async () => {
    const search = await ldapsearch('-b', CA_DN, '-s', 'base', '(objectClass=*)', 'cACertificate;binary', 'certificateRevocationList;binary');
    expect(search.status).toBe(0);
    expect(ldapValues(search.stdout, 'cACertificate;binary')).toEqual([pki.caDer]);
    expect(ldapValues(search.stdout, 'certificateRevocationList;binary')).toEqual([pki.crlDer]);
  });

  it('lists the children of the CA (one-level) and answers sizeLimitExceeded past the size limit', async () => {
    expect((await ldapsearch('-b', CA_DN, '-s', 'one', '(objectClass=*)', 'dn')).stdout).toContain(`dn: ${METER_DN}`);
    const limited = await ldapsearch('-z', '1', '-b', 'c=DE', '-s', 'sub', '(objectClass=*)', 'dn');
    expect(limited.status).toBe(4);
  });

  it('finds the meter by its naming attributes and certificate fingerprint', async () => {
    const fingerprint = createHash('sha256').update(pki.meterDer).digest('hex');
    for (const filter of [`(cn=${METER_ID})`, `(&(objectClass=pkiUser)(serialNumber=${METER_ID}))`, `(smpkiCertificateFingerprint=${fingerprint})`, `(smpkiCertificateSerial=${pki.meterSerial})`]) {
      const search = await ldapsearch('-b', 'c=DE', filter, 'dn');
      expect({ filter, dns: search.stdout.match(/^dn: .*$/gm) }).toEqual({ filter, dns: [`dn: ${METER_DN}`] });
    }
    expect((await ldapsearch('-b', 'c=DE', '(serialNumber=1EMH9999999999)', 'dn')).stdout.trim()).toBe('');
  });

  it('answers a base search with the base entry only and a one-level search with the children only', async () => {
    const dns = async (...args: string[]) => (await ldapsearch(...args, '(objectClass=*)', 'dn')).stdout.match(/^dn: .*$/gm);
    expect(await dns('-b', CA_DN, '-s', 'base')).toEqual([`dn: ${CA_DN}`]);
    expect(await dns('-b', METER_DN, '-s', 'base')).toEqual([`dn: ${METER_DN}`]);
    expect(await dns('-b', 'o=SM-Test-PKI-DE,c=DE', '-s', 'one')).toEqual([`dn: ${CA_DN}`]);
    expect(await dns('-b', 'c=DE', '-s', 'base')).toEqual(['dn: c=DE']);
  });

  it('compares cn, serialNumber and the hex attributes case-insensitively (caseIgnoreMatch)', async () => {
    const fingerprint = createHash('sha256').update(pki.meterDer).digest('hex').toUpperCase();
    const lower = METER_ID.toLowerCase();
    const filters = [`(serialNumber=${lower})`, `(cn=${lower})`, `(&(objectClass=PKIUSER)(serialNumber=${lower}))`, `(serialNumber=${lower.slice(0, 6)}*)`, `(smpkiCertificateFingerprint=${fingerprint})`];
    for (const filter of filters) {
      const search = await ldapsearch('-b', 'c=DE', filter, 'dn');
      expect({ filter, dns: search.stdout.match(/^dn: .*$/gm) }).toEqual({ filter, dns: [`dn: ${METER_DN}`] });
    }
    const meter = await ldapsearch('-b', CA_DN, `(serialNumber=${lower})`, 'serialNumber');
    // The value is answered as published.
    expect(meter.stdout).toContain(`serialNumber: ${METER_ID}`);
    expect((await ldapsearch('-b', 'c=DE', `(!(serialNumber=${lower}))`, 'dn')).stdout).not.toContain(`dn: ${METER_DN}`);
  });

  it('pages a subtree search (RFC 2696) without losing or repeating an entry', async () => {
    const paged = await ldapsearch('-E', 'pr=1/noprompt', '-b', 'c=DE', '(objectClass=*)', 'dn');
    expect(paged.status).toBe(0);
    const dns = paged.stdout.match(/^dn: .*$/gm) ?? [];
    expect(dns).toHaveLength(4);
    expect(new Set(dns).size).toBe(4);
  });

  it('serves the same bytes over LDAPS to a client that trusts the CA', async () => {
    const ldapsUrl = `ldaps://127.0.0.1:${service.app.get(LdapLifecycleService).ldapsPort}`;
    const search = await run('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', ldapsUrl, '-b', 'c=DE', `(serialNumber=${METER_ID})`, 'userCertificate;binary'], undefined, undefined, {
      LDAPTLS_CACERT: join(pki.dir, 'ca.pem'),
      LDAPTLS_REQCERT: 'demand',
    });
    expect(search.stderr).toBe('');
    expect(ldapValues(search.stdout, 'userCertificate;binary')).toEqual([pki.meterDer]);
  });

  it('refuses every write with unwillingToPerform', async () => {
    const add = await run('ldapadd', ['-x', '-H', ldapUrl], 'dn: cn=x,c=DE\nobjectClass: top\ncn: x\n');
    expect(add.status).toBe(53);
    const modify = await run('ldapmodify', ['-x', '-H', ldapUrl], `dn: ${METER_DN}\nchangetype: delete\n`);
    expect(modify.status).toBe(53);
  });

  it('answers noSuchObject for an unknown base and keeps serving after garbage on a socket', async () => {
    expect((await ldapsearch('-b', 'cn=nobody,c=DE', '-s', 'base', '(objectClass=*)')).status).toBe(32);
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = connect(service.app.get(LdapLifecycleService).port!, '127.0.0.1', () => socket.end(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01])));
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
    expect((await ldapsearch('-b', CA_DN, '-s', 'base', '(objectClass=*)', 'dn')).status).toBe(0);
  });

  it('serves the CRL over HTTP with caching headers; it verifies with openssl crl -verify', async () => {
    const http = request(service.app.getHttpServer());
    const crl = await http.get('/crl/calibration.crl').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(crl.status).toBe(200);
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    expect(crl.headers['cache-control']).toContain('max-age');
    expect(crl.headers['last-modified']).toBeDefined();
    writeFileSync(join(pki.dir, 'fetched.crl'), crl.body as Buffer);
    const verify = await run('openssl', ['crl', '-inform', 'DER', '-in', 'fetched.crl', '-CAfile', 'ca.pem', '-verify', '-noout'], undefined, pki.dir);
    expect(verify.stderr + verify.stdout).toContain('verify OK');
    const notModified = await http.get('/crl/calibration.crl').set('If-None-Match', crl.headers.etag as string);
    expect(notModified.status).toBe(304);
    expect((await ingest([{ kind: 'delta-crl', ca: 'calibration', dn: CA_DN, crl: pki.crlDer.toString('base64'), crlNumber: 2, version: '2026-11-01T00:00:00.000Z' }])).status).toBe(200);
    const delta = await http.get('/crl/calibration-delta.crl');
    expect(delta.status).toBe(200);
    expect(delta.headers['content-type']).toBe('application/pkix-crl');
    expect((await http.get('/crl/unknown.crl')).status).toBe(404);
    const ca = await http.get('/ca/calibration.cer');
    expect(ca.status).toBe(200);
    expect(ca.headers['content-type']).toBe('application/pkix-cert');
    expect(ca.headers.etag).toBeDefined();
  });
});
