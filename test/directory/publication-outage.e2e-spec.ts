/**
 * Issue 5, the directory going away while the CA issues: the sub-CA (dist/apps/sub-ca, PostgreSQL, SoftHSM2) issues
 * certificates continuously while its outbox publisher pushes them to the directory service (dist/apps/directory,
 * its own PostgreSQL database). The directory is killed (SIGKILL) once and stopped (SIGTERM) once; meanwhile the CA
 * goes on acknowledging certificates, revokes some and signs CRLs. Once the directory is back on the same ports and
 * database and the outbox has drained, the directory holds exactly what the CA issued: every certificate once, none
 * lost, none extra, the revoked ones marked revoked, and the CA's latest CRL over HTTP and LDAP, verifying. A second
 * directory replica started on the same database then serves the same entries and CRL (horizontal scaling).
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { BENCH_CA, BENCH_PROFILE, createBenchPki, type BenchPki } from '../../bench/issuance/bench-pki';
import { createRequestPool } from '../../bench/issuance/request-pool';
import { startDirectoryProcess, type DirectoryProcess } from '../../bench/lib/directory-process';
import { startSubCaProcess, type SubCaProcess } from '../../bench/lib/sub-ca-process';
import { describePostgres } from '../persistence/support/describe-postgres';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { ldapSearch, textOf, type LdapEntry } from './support/ldap-search';
import { waitUntil } from './support/wait-until';

const run = promisify(execFile);
/** The bench CA's entry: cn, o and c of its subject (Test-Metering.CA, SM-Test-PKI-DE, DE). */
const CA_DN = 'cn=Test-Metering.CA,o=SM-Test-PKI-DE,c=DE';
const BATCH = 5;
/** Generous: publication is a background loop with backoff; the CI machine is shared. */
const CATCH_UP_MS = 60_000;

/** Serials as the CA's API, database and directory may spell them: compared in lower case without leading zeros. */
const serialKey = (serial: string): string => serial.toLowerCase().replace(/^0+/, '');

/** A closed loop of batch issuance; every serial in `acknowledged` came back in a 200 answer. */
interface IssuanceLoop {
  acknowledged: string[];
  /** Why the loop stopped on its own (an answer other than 200 with every item issued). */
  failure(): Error | undefined;
  stop(): Promise<void>;
}

function startIssuanceLoop(ca: SubCaProcess, token: string, requests: string[]): IssuanceLoop {
  const acknowledged: string[] = [];
  let stopping = false;
  let failure: Error | undefined;
  let next = 0;
  const loop = async () => {
    while (!stopping) {
      const items = Array.from({ length: BATCH }, () => ({ profile: BENCH_PROFILE, request: requests[next++ % requests.length]! }));
      const response = await fetch(`${ca.baseUrl}/v1/cas/${BENCH_CA}/certificates/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ items }),
      });
      const body = (await response.json()) as { items?: Array<{ certificate?: { serial: string } }> };
      if (response.status !== 200) throw new Error(`batch issuance answered ${response.status}: ${JSON.stringify(body)}`);
      for (const item of body.items ?? []) {
        if (!item.certificate) throw new Error(`a batch item failed: ${JSON.stringify(item)}`);
        acknowledged.push(item.certificate.serial);
      }
    }
  };
  const running = loop().catch((error: Error) => {
    failure = error;
  });
  return {
    acknowledged,
    failure: () => failure,
    stop: async () => {
      stopping = true;
      await running;
      if (failure) throw failure;
    },
  };
}

describePostgres('publication outage: the directory stops and comes back while the sub-CA issues', () => {
  let work: string;
  let pki: BenchPki;
  let caDb: TestDatabase;
  let directoryDb: TestDatabase;
  let ca: SubCaProcess;
  let directory: DirectoryProcess | undefined;
  let loop: IssuanceLoop | undefined;

  const startDirectory = async (ports?: { port: number; ldapPort: number }) =>
    (directory = await startDirectoryProcess({ pki, dataDir: join(work, 'directory'), databaseUrl: directoryDb.url, ...ports }));

  async function callCa(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${ca.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pki.accessToken}` },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function query<T>(db: TestDatabase, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const publishedCertificates = (): Promise<LdapEntry[]> =>
    ldapSearch({ url: directory!.ldapUrl, base: CA_DN, scope: 'one', filter: '(objectClass=pkiUser)', attributes: ['smpkiCertificateSerial', 'smpkiRevoked', 'userCertificate;binary'] });

  /** Waits until the loop has acknowledged `more` certificates beyond what it had when called. */
  const issueMore = (more: number) => {
    const target = loop!.acknowledged.length + more;
    return waitUntil(`${more} more certificates acknowledged`, async () => loop!.acknowledged.length, (count) => count >= target, CATCH_UP_MS, loop!.failure);
  };

  async function revoke(serials: string[]): Promise<void> {
    for (const serial of serials) expect((await callCa('POST', `/v1/cas/${BENCH_CA}/certificates/${serial}/revocation`, { reason: 'keyCompromise' })).status).toBe(200);
  }

  async function signCrl(): Promise<number> {
    const signed = await callCa('POST', `/v1/cas/${BENCH_CA}/crl`);
    expect(signed.status).toBe(201);
    return signed.json.crlNumber as number;
  }

  const publicationStatus = async () => (await callCa('GET', '/v1/publication/status')).json as { pending: number; lastError?: string };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'smpki-publication-outage-'));
    mkdirSync(join(work, 'ca'));
    mkdirSync(join(work, 'directory'));
    pki = await createBenchPki(work);
    [caDb, directoryDb] = await Promise.all([createTestDatabase('smpki_outage_ca'), createTestDatabase('smpki_outage_directory')]);
    await startDirectory();
    ca = await startSubCaProcess({ pki, dataDir: join(work, 'ca'), databaseUrl: caDb.url, hsmWorkers: 2, env: { SMPKI_DIRECTORY_URL: directory!.baseUrl } });
  }, 120_000);

  afterAll(async () => {
    await loop?.stop().catch(() => undefined);
    await ca?.stop();
    await directory?.stop();
    await Promise.all([caDb?.drop(), directoryDb?.drop()]);
    pki?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  /** A failure message that also shows the publisher's status and the last lines both services wrote. */
  async function withServiceOutput(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const status = await publicationStatus().catch((failed: Error) => failed.message);
      (error as Error).message += `\n--- publication status: ${JSON.stringify(status)}\n--- sub-CA output ---\n${ca.output()}\n--- directory output ---\n${directory?.output()}`;
      throw error;
    }
  }

  it('loses nothing and duplicates nothing across a SIGKILL and a SIGTERM of the directory', () => withServiceOutput(async () => {
    loop = startIssuanceLoop(ca, pki.accessToken, await createRequestPool(20));
    const ports = { port: directory!.port, ldapPort: directory!.ldapPort };
    const revoked: string[] = [];
    const crlNumbers: number[] = [];
    await waitUntil('the first certificates in the directory', async () => (await publishedCertificates()).length, (count) => count >= 10, CATCH_UP_MS, loop.failure);

    for (const outage of ['kill', 'stop'] as const) {
      await directory![outage]();
      const before = loop.acknowledged.length;
      await issueMore(3 * BATCH);
      // Revoked while the directory is away: one certificate from before the outage, one from during it.
      const during = [loop.acknowledged[before - 1]!, loop.acknowledged[before + BATCH]!];
      await revoke(during);
      revoked.push(...during);
      crlNumbers.push(await signCrl());
      await issueMore(3 * BATCH);
      const waiting = await publicationStatus();
      expect(waiting.pending).toBeGreaterThan(0);

      await startDirectory(ports);
      const published = (await publishedCertificates()).length;
      await waitUntil('the publisher resuming after the restart', async () => (await publishedCertificates()).length, (count) => count > published, CATCH_UP_MS, loop.failure);
    }
    await loop.stop();
    await waitUntil('the outbox drained', publicationStatus, (status) => status.pending === 0, CATCH_UP_MS);

    // The CA's issued set: what the load loop was told, and what the CA's database holds.
    const issued = await query<{ serial: string; der: Buffer; status: string }>(caDb, `SELECT serial, der, status FROM ca_certificate WHERE profile = '${BENCH_PROFILE}'`);
    const issuedSerials = issued.map((row) => serialKey(row.serial)).sort();
    expect(issuedSerials).toEqual(loop.acknowledged.map(serialKey).sort());
    expect(issuedSerials.length).toBeGreaterThan(60);

    // The directory: each of them once (no entry lost, none extra, none twice), byte for byte, revoked ones marked.
    const entries = await publishedCertificates();
    const entrySerials = entries.map((entry) => serialKey(textOf(entry, 'smpkiCertificateSerial')));
    expect(entrySerials.length).toBe(new Set(entrySerials).size);
    expect([...entrySerials].sort()).toEqual(issuedSerials);
    const derOf = new Map(issued.map((row) => [serialKey(row.serial), row.der]));
    for (const entry of entries) expect(entry.attributes.get('userCertificate;binary')).toEqual([derOf.get(serialKey(textOf(entry, 'smpkiCertificateSerial')))]);
    const markedRevoked = entries.filter((entry) => textOf(entry, 'smpkiRevoked') === 'TRUE').map((entry) => serialKey(textOf(entry, 'smpkiCertificateSerial')));
    expect(markedRevoked.sort()).toEqual(revoked.map(serialKey).sort());
    // Nothing stored beside what LDAP shows (e.g. under another DN): the directory's own table holds the same set.
    const stored = await query<{ serial: string }>(directoryDb, `SELECT serial FROM directory_entry WHERE kind = 'certificate'`);
    expect(stored.map((row) => serialKey(row.serial)).sort()).toEqual(issuedSerials);
    expect(issued.filter((row) => row.status === 'revoked').map((row) => serialKey(row.serial)).sort()).toEqual(revoked.map(serialKey).sort());

    await expectLatestCrl(directory!, crlNumbers.at(-1)!, revoked, work);

    // Horizontal scaling: a second replica on the same database serves the same content over LDAP and HTTP.
    const replica = await startDirectoryProcess({ pki, dataDir: join(work, 'replica'), databaseUrl: directoryDb.url });
    try {
      const fromReplica = await ldapSearch({ url: replica.ldapUrl, base: CA_DN, scope: 'one', filter: '(objectClass=pkiUser)', attributes: ['smpkiCertificateSerial', 'smpkiRevoked', 'userCertificate;binary'] });
      const view = (list: LdapEntry[]) => list.map((entry) => [entry.dn, textOf(entry, 'smpkiRevoked'), entry.attributes.get('userCertificate;binary')]).sort();
      expect(view(fromReplica)).toEqual(view(entries));
      await expectLatestCrl(replica, crlNumbers.at(-1)!, revoked, work);
    } finally {
      await replica.stop();
    }
  }), 180_000);
});

/** The directory serves the CA's latest CRL over HTTP and LDAP (same bytes); it verifies against the CA certificate the directory serves. */
async function expectLatestCrl(directory: DirectoryProcess, crlNumber: number, revoked: string[], work: string): Promise<void> {
  const crlResponse = await fetch(`${directory.baseUrl}/crl/${BENCH_CA}.crl`);
  expect(crlResponse.status).toBe(200);
  const crl = Buffer.from(await crlResponse.arrayBuffer());
  // A base search, as a relying party follows the CRL distribution point's ldap:// URL: the CA entry alone.
  const caEntries = await ldapSearch({ url: directory.ldapUrl, base: CA_DN, scope: 'base', attributes: ['cACertificate;binary', 'certificateRevocationList;binary'] });
  expect(caEntries.map((entry) => entry.dn)).toEqual([CA_DN]);
  const caEntry = caEntries[0];
  expect(caEntry!.attributes.get('certificateRevocationList;binary')).toEqual([crl]);
  const caResponse = await fetch(`${directory.baseUrl}/ca/${BENCH_CA}.cer`);
  expect(caResponse.status).toBe(200);
  const caDer = Buffer.from(await caResponse.arrayBuffer());
  expect(caEntry!.attributes.get('cACertificate;binary')).toEqual([caDer]);

  const crlFile = join(work, 'latest.crl');
  const caFile = join(work, 'directory-ca.pem');
  writeFileSync(crlFile, crl);
  writeFileSync(caFile, new X509Certificate(caDer).toString());
  const verified = await run('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-CAfile', caFile, '-noout', '-verify', '-crlnumber', '-text']);
  expect(verified.stderr + verified.stdout).toContain('verify OK');
  expect(parseInt(/crlNumber=(?:0x)?([0-9A-F]+)/i.exec(verified.stdout)?.[1] ?? '', 16)).toBe(crlNumber);
  const listed = [...verified.stdout.matchAll(/Serial Number: ([0-9A-F]+)/gi)].map((match) => serialKey(match[1]!));
  expect(listed.sort()).toEqual(revoked.map(serialKey).sort());
}
