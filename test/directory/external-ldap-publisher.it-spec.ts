/**
 * The external LDAP publisher against Debian's slapd (stock core + cosine schema, suffix c=DE, bound as its root
 * DN): the outbox of a real CA pair (SoftHSM2 keys, SQLite) publishes the CAs, a CRL, user and meter certificates
 * and a revocation; ldapsearch then reads byte-for-byte what the CA issued. A repeated chunk changes nothing; with
 * slapd down the publisher fails (and keeps the rows pending) and after a restart it catches up; fanned out with the
 * platform directory, a row counts as published only when both have it. LDAPS with a CA file works too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaAuthority, CaCrl, entriesForRows, FanOutDirectoryClient, HttpDirectoryClient, LdapDirectoryClient, OutboxPublisher, type LdapDirectoryClientOptions } from '@smpki/ca';
import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { METER_ID, openPublicationFixture, type PublicationFixture } from '../ca/publication-fixture';
import { RecordingDirectory } from '../ca/publication-recording-directory';
import { Slapd } from '../support/slapd';

interface Search {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** ldapsearch, anonymous, unwrapped LDIF; asynchronous so nothing in this process is blocked meanwhile. */
function ldapsearch(url: string, filter: string, attributes: string[] = [], env: Record<string, string> = {}): Promise<Search> {
  return new Promise((resolve, reject) => {
    const child = spawn('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', url, '-b', 'c=DE', '-s', 'sub', filter, ...attributes], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function values(output: string, attribute: string): Buffer[] {
  return output.split('\n').filter((line) => line.startsWith(`${attribute}:: `)).map((line) => Buffer.from(line.slice(attribute.length + 3), 'base64'));
}

function dns(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('dn: ')).map((line) => line.slice(4)).sort();
}

describe('external LDAP publisher (slapd)', () => {
  jest.setTimeout(120_000);
  let slapd: Slapd;
  let fixture: PublicationFixture;

  beforeAll(async () => {
    slapd = await Slapd.start();
    fixture = await openPublicationFixture(sqliteTestDatabase);
  }, 60_000);
  afterAll(async () => {
    await fixture?.dispose();
    await slapd?.dispose();
  });

  const client = (overrides: Partial<LdapDirectoryClientOptions> = {}) =>
    new LdapDirectoryClient({ url: slapd.url, bindDn: slapd.rootDn, password: slapd.rootPassword, revoked: 'keep', timeoutMs: 3000, ...overrides });
  const publisher = (overrides: Partial<LdapDirectoryClientOptions> = {}) => new OutboxPublisher(fixture.db.dataSource, client(overrides), { chunkSize: 3 });
  const search = async (filter: string, ...attributes: string[]) => {
    const result = await ldapsearch(slapd.url, filter, attributes);
    expect(result.stderr).toBe('');
    return result.stdout;
  };

  it('publishes CAs, a CRL and certificates that ldapsearch reads byte for byte', async () => {
    const user = await fixture.issueUserCertificate('ext-ldap-user');
    const meter = await fixture.issueMeterCertificate('ext-ldap-meter', METER_ID);
    await fixture.signCrl();
    expect(await publisher().drain()).toBe(3);

    const meterEntry = await search(`(serialNumber=${METER_ID})`, 'userCertificate;binary', 'objectClass');
    expect(values(meterEntry, 'userCertificate;binary')).toEqual([meter.der]);
    expect(meterEntry).toMatch(/objectClass: pkiUser/);
    expect(values(await search(`(serialNumber=${user.serial})`, 'userCertificate;binary'), 'userCertificate;binary')).toEqual([user.der]);

    const authorities = await fixture.db.dataSource.getRepository(CaAuthority).find({ order: { name: 'ASC' } });
    const published = values(await search('(objectClass=pkiCA)', 'cACertificate;binary'), 'cACertificate;binary');
    expect(published.map((der) => der.toString('base64')).sort()).toEqual(authorities.map((authority) => authority.certificate.toString('base64')).sort());

    const [crl] = await fixture.db.dataSource.getRepository(CaCrl).find({ order: { crlNumber: 'DESC' }, take: 1 });
    expect(values(await search('(certificateRevocationList;binary=*)', 'certificateRevocationList;binary'), 'certificateRevocationList;binary')).toEqual([crl!.der]);
    // The parents were created with standard classes: country and organization above the CAs.
    expect(await search('(|(objectClass=country)(objectClass=organization))', '1.1')).toMatch(/^dn: c=DE$/m);
  });

  it('applies a repeated chunk without failing and without changing anything', async () => {
    const before = await search('(objectClass=*)', '*');
    const everything = await entriesForRows(fixture.db.dataSource.manager, await fixture.outbox());
    await client().publish(everything);
    await client().publish(everything);
    expect(await search('(objectClass=*)', '*')).toBe(before);
  });

  it('keeps a revoked certificate by default and removes it with revoked=remove, leaving the others', async () => {
    const doomed = await fixture.issueUserCertificate('ext-ldap-revoked');
    await fixture.revoke(doomed.serial);
    await fixture.signCrl();
    await publisher().drain();
    expect(values(await search(`(serialNumber=${doomed.serial})`, 'userCertificate;binary'), 'userCertificate;binary')).toEqual([doomed.der]);
    const [newest] = await fixture.db.dataSource.getRepository(CaCrl).find({ where: { delta: false }, order: { crlNumber: 'DESC' }, take: 1 });
    expect(values(await search('(certificateRevocationList;binary=*)', 'certificateRevocationList;binary'), 'certificateRevocationList;binary')).toEqual([newest!.der]);

    const before = dns(await search('(objectClass=*)', '1.1'));
    await client({ revoked: 'remove' }).publish(await entriesForRows(fixture.db.dataSource.manager, await fixture.outbox()));
    const after = dns(await search('(objectClass=*)', '1.1'));
    expect(before.filter((dn) => !after.includes(dn))).toEqual([expect.stringContaining(`serialNumber=${doomed.serial}`)]);
    expect(after.filter((dn) => !before.includes(dn))).toEqual([]);
  });

  it('never puts an older CRL back over a newer one', async () => {
    const crls = await fixture.db.dataSource.getRepository(CaCrl).find({ where: { delta: false }, order: { crlNumber: 'ASC' } });
    const oldest = (await fixture.outbox()).filter((row) => row.kind === 'crl' && row.crlNumber === crls[0]!.crlNumber);
    await client().publish(await entriesForRows(fixture.db.dataSource.manager, oldest));
    expect(values(await search('(certificateRevocationList;binary=*)', 'certificateRevocationList;binary'), 'certificateRevocationList;binary')).toEqual([crls[crls.length - 1]!.der]);
  });

  it('fails while slapd is down, keeps the row pending, and publishes it once slapd is back', async () => {
    await slapd.stop();
    const late = await fixture.issueMeterCertificate('ext-ldap-late', '1EMH0000000099');
    const failing = publisher();
    await expect(failing.publishOnce()).rejects.toThrow(/not reachable/);
    expect((await failing.status()).pending).toBe(1);

    await slapd.restart();
    expect(await failing.drain()).toBe(1);
    expect(values(await search('(serialNumber=1EMH0000000099)', 'userCertificate;binary'), 'userCertificate;binary')).toEqual([late.der]);
  });

  it('fans out: a row is marked published only once the platform directory and slapd both acknowledged it', async () => {
    const directory = await RecordingDirectory.start();
    try {
      const both = new OutboxPublisher(
        fixture.db.dataSource,
        FanOutDirectoryClient.of([
          { name: 'directory', client: new HttpDirectoryClient({ url: directory.url, token: async () => 'token' }) },
          { name: 'external-ldap', client: client() },
        ]),
      );
      await slapd.stop();
      const meter = await fixture.issueMeterCertificate('ext-ldap-fan-out', '1EMH0000000098');
      await expect(both.publishOnce()).rejects.toThrow(/external-ldap: .*not reachable/);
      // The platform directory acknowledged its part (the CA entries first), yet nothing is marked published.
      expect(directory.acknowledged.length).toBeGreaterThan(0);
      expect((await both.status()).pending).toBe(1);

      await slapd.restart();
      expect(await both.drain()).toBe(1);
      expect(directory.entries().some((entry) => entry.kind === 'certificate' && entry.meterId === '1EMH0000000098')).toBe(true);
      expect(values(await search('(serialNumber=1EMH0000000098)', 'userCertificate;binary'), 'userCertificate;binary')).toEqual([meter.der]);
    } finally {
      await directory.stop();
    }
  });

  it('refuses a wrong password without naming it', async () => {
    await expect(client({ password: 'wrong-password-123' }).publish(await entriesForRows(fixture.db.dataSource.manager, (await fixture.outbox()).slice(0, 1)))).rejects.toThrow(
      /LDAP result 49/,
    );
    await expect(client({ password: 'wrong-password-123' }).publish(await entriesForRows(fixture.db.dataSource.manager, (await fixture.outbox()).slice(0, 1)))).rejects.not.toThrow(
      /wrong-password/,
    );
  });
});

/** A P-256 test CA and a server certificate for 127.0.0.1 it issued, made with openssl in `dir`. */
function makeTlsFiles(dir: string): { caFile: string; certificateFile: string; keyFile: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=slapd test CA', '-days', '2', '-out', 'ca.pem');
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key');
  openssl('req', '-new', '-key', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '7', '-days', '2', '-extfile', 'server.ext', '-out', 'server.pem');
  // A second CA that did not issue the server certificate.
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'other.key');
  openssl('req', '-x509', '-new', '-key', 'other.key', '-subj', '/CN=other CA', '-days', '2', '-out', 'other.pem');
  return { caFile: join(dir, 'ca.pem'), certificateFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key') };
}

describe('external LDAP publisher over LDAPS (slapd)', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let tls: ReturnType<typeof makeTlsFiles>;
  let slapd: Slapd;
  let fixture: PublicationFixture;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-slapd-tls-'));
    tls = makeTlsFiles(dir);
    slapd = await Slapd.start({ tls });
    fixture = await openPublicationFixture(sqliteTestDatabase);
  }, 60_000);
  afterAll(async () => {
    await fixture?.dispose();
    await slapd?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (caFile: string) =>
    new LdapDirectoryClient({ url: slapd.ldapsUrl, bindDn: slapd.rootDn, password: slapd.rootPassword, revoked: 'keep', caCertificates: readFileSync(caFile), timeoutMs: 3000 });

  it('publishes over ldaps:// trusting the configured CA file, and refuses a server the file does not vouch for', async () => {
    const meter = await fixture.issueMeterCertificate('ext-ldaps-meter', METER_ID);
    const entries = await entriesForRows(fixture.db.dataSource.manager, await fixture.outbox());

    await expect(client(join(dir, 'other.pem')).publish(entries)).rejects.toThrow(/not reachable/);
    await client(tls.caFile).publish(entries);

    const found = await ldapsearch(slapd.ldapsUrl, `(serialNumber=${METER_ID})`, ['userCertificate;binary'], { LDAPTLS_CACERT: tls.caFile });
    expect(found.stderr).toBe('');
    expect(values(found.stdout, 'userCertificate;binary')).toEqual([meter.der]);
  });
});
