/**
 * Issue 4, the production line end to end: a manufacturer onboarded by an administrator registers batches of meters
 * whose keys and PKCS#10 requests openssl made, with `smpki meters register` over mutual TLS against the sub-CA
 * running as in production (dist/apps/sub-ca, HTTPS with client certificates, PostgreSQL, SoftHSM2). Every
 * certificate verifies with `openssl verify`; repeating a batch issues nothing; killing the service in the middle of
 * a batch and repeating it after the restart leaves every meter with exactly one certificate and no serial twice.
 * The sub-CA publishes to the directory service (dist/apps/directory, its own PostgreSQL database) running beside it:
 * every meter is then found with Debian's ldapsearch by its meter id, with the very certificate the line wrote, and
 * the sub-CA certificate `openssl verify` chains through is the one the directory serves.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { CALIBRATION_CA, createCalibrationPki, type CalibrationPki } from '../../bench/calibration/calibration-pki';
import { onboardManufacturer, type Manufacturer } from '../../bench/calibration/manufacturer';
import { meterId } from '../../bench/calibration/meter-ids';
import { startTlsSubCa, type TlsSubCaProcess } from '../../bench/calibration/tls-sub-ca-process';
import { startDirectoryProcess, type DirectoryProcess } from '../../bench/lib/directory-process';
import { ldapSearch, textOf } from '../directory/support/ldap-search';
import { waitUntil } from '../directory/support/wait-until';
import { describePostgres } from '../persistence/support/describe-postgres';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const ROOT = resolve(__dirname, '../..');
const HOOKS = join(ROOT, 'libs/persistence/src/tools/typescript-hooks.cjs');
/** The CLI from source, or SMPKI_CLI_MAIN: a build elsewhere (like SMPKI_SUB_CA_MAIN for the services). */
const CLI_RUNNER = process.env.SMPKI_CLI_MAIN ? [process.env.SMPKI_CLI_MAIN] : ['--require', HOOKS, join(ROOT, 'apps/cli/src/main.ts')];
const FLAG_ID = 'EMH';
/** The calibration CA's entry in the directory: cn, o and c of its subject (docs/DIRECTORY.md); meters sit below it. */
const CA_DN = 'cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';
/** Generous: the publisher drains in the background, the machine is shared. */
const PUBLICATION_DEADLINE_MS = 120_000;
const run = promisify(execFile);

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Meter keys and requests made by openssl, as a calibration station would; a CSV naming the request files. */
async function makeBatch(dir: string, block: string, count: number): Promise<{ file: string; meterIds: string[] }> {
  mkdirSync(join(dir, 'csr'), { recursive: true });
  const meterIds = Array.from({ length: count }, (_, index) => meterId(FLAG_ID, index, block));
  const queue = [...meterIds];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1', '-nodes',
        '-keyout', join(dir, 'csr', `${id}.key`), '-out', join(dir, 'csr', `${id}.csr`), '-subj', `/CN=${id}`]);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const file = join(dir, 'batch.csv');
  const rows = meterIds.map((id) => `${id},csr/${id}.csr,electricity,eHZ-B,1.4.2,2026-11-21,line-7`);
  writeFileSync(file, ['meterId,request,type,model,firmwareVersion,calibrationDate,calibrationStation', ...rows].join('\n'));
  return { file, meterIds };
}

describePostgres('production line: smpki meters register over mutual TLS', () => {
  let work: string;
  let pki: CalibrationPki;
  let db: TestDatabase;
  let directoryDb: TestDatabase;
  let directory: DirectoryProcess;
  let service: TlsSubCaProcess;
  let manufacturer: Manufacturer;

  const cliArgs = (file: string, out: string, extra: string[] = []): string[] => [
    ...CLI_RUNNER, 'meters', 'register', '--url', service.baseUrl, '--cert', manufacturer.certFile, '--key', manufacturer.keyFile,
    '--ca', pki.tls.caFile, '--file', file, '--out', out, ...extra,
  ];
  const startService = async (port?: number) =>
    (service = await startTlsSubCa({
      pki, dataDir: join(work, 'data'), databaseUrl: db.url, hsmWorkers: 2, env: { SMPKI_DIRECTORY_URL: directory.baseUrl }, ...(port !== undefined && { port }),
    }));

  function smpki(args: string[]): { done: Promise<CliRun>; kill(): void } {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (part: Buffer) => (stdout += part.toString()));
    child.stderr.on('data', (part: Buffer) => (stderr += part.toString()));
    const done = new Promise<CliRun>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
    return { done, kill: () => child.kill('SIGKILL') };
  }

  async function query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql, parameters)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Until the directory acknowledged every outbox row (the sub-CA marks a row published only then). */
  const publicationDrained = () =>
    waitUntil(
      'the outbox published to the directory',
      async () => Number((await query<{ count: string }>(`SELECT COUNT(*) AS count FROM publication_outbox WHERE published_at IS NULL`))[0]!.count),
      (pending) => pending === 0,
      PUBLICATION_DEADLINE_MS,
    );

  /** The meter's entries in the directory, found as a head end would: ldapsearch by meter id below the CA. */
  const directoryCertificatesOf = async (id: string): Promise<Buffer[]> => {
    const entries = await ldapSearch({ url: directory.ldapUrl, base: CA_DN, scope: 'sub', filter: `(serialNumber=${id})`, attributes: ['userCertificate;binary'] });
    return entries.flatMap((entry) => entry.attributes.get('userCertificate;binary') ?? []);
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'smpki-production-line-'));
    mkdirSync(join(work, 'data'));
    mkdirSync(join(work, 'directory'));
    pki = await createCalibrationPki(work, 'smpki-line');
    [db, directoryDb] = await Promise.all([createTestDatabase('smpki_production_line'), createTestDatabase('smpki_production_line_directory')]);
    directory = await startDirectoryProcess({ pki, dataDir: join(work, 'directory'), databaseUrl: directoryDb.url });
    await startService();
    manufacturer = await onboardManufacturer({ baseUrl: service.baseUrl, caFile: pki.tls.caFile, adminToken: pki.adminToken, dir: work, name: 'EMH metering GmbH', gln: '4012345000009', flagId: FLAG_ID });
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await directory?.stop();
    await Promise.all([db?.drop(), directoryDb?.drop()]);
    pki?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('registers 50 openssl-made meters: every certificate verifies with openssl; a repeat issues nothing', async () => {
    const dir = join(work, 'fifty');
    const { file, meterIds } = await makeBatch(dir, '01', 50);
    const out = join(dir, 'out');

    const first = await smpki(cliArgs(file, out, ['--batch-size', '20'])).done;
    expect(first.stderr).not.toContain('refused');
    expect(first.stdout).toContain('issued 50, existing 0, refused 0, failed 0');
    expect(first.code).toBe(0);
    // Found in the directory: by meter id, once, the very certificate the line wrote.
    await publicationDrained();
    for (const id of meterIds) {
      const written = new X509Certificate(readFileSync(join(out, `${id}.pem`))).raw;
      expect({ id, found: await directoryCertificatesOf(id) }).toEqual({ id, found: [written] });
    }
    // The sub-CA certificate as the directory serves it (HTTP and LDAP) is the CLI's chain; openssl chains through it.
    const served = await fetch(`${directory.baseUrl}/ca/${CALIBRATION_CA}.cer`);
    expect(served.status).toBe(200);
    const caCertificate = new X509Certificate(Buffer.from(await served.arrayBuffer()));
    const caEntries = await ldapSearch({ url: directory.ldapUrl, base: CA_DN, scope: 'base', attributes: ['cACertificate;binary'] });
    expect(caEntries.find((entry) => entry.dn === CA_DN)?.attributes.get('cACertificate;binary')).toEqual([caCertificate.raw]);
    expect(caCertificate.raw).toEqual(new X509Certificate(readFileSync(join(out, 'chain.pem'))).raw);
    const chain = join(dir, 'directory-ca.pem');
    writeFileSync(chain, caCertificate.toString());
    for (const id of meterIds) {
      const pem = join(out, `${id}.pem`);
      const verified = await run('openssl', ['verify', '-CAfile', pki.rootFile, '-untrusted', chain, pem]);
      expect(verified.stdout.trim()).toBe(`${pem}: OK`);
      expect(new X509Certificate(readFileSync(pem)).subject).toContain(`CN=${id}`);
    }
    const results = readFileSync(join(out, 'results.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { meterId: string; status: string; serial: string });
    expect(results.filter((result) => result.status === 'issued').map((result) => result.meterId).sort()).toEqual([...meterIds].sort());
    // Queued for the directory in the same transaction (the directory service publishes from this outbox, issue 5).
    const queued = await query<{ serial: string }>(`SELECT serial FROM publication_outbox WHERE kind = 'certificate' AND ca = 'calibration'`);
    expect(queued.map((row) => row.serial).sort()).toEqual(results.map((result) => result.serial).sort());

    // Resumed into the same directory: nothing to send.
    const resumed = await smpki(cliArgs(file, out)).done;
    expect(resumed.stdout).toContain('issued 0, existing 0, refused 0, failed 0 (skipped 50');
    expect(resumed.code).toBe(0);

    // The same batch into a fresh directory (a lost output): the same certificates come back as `existing`.
    const fresh = join(dir, 'again');
    const repeated = await smpki(cliArgs(file, fresh)).done;
    expect(repeated.stdout).toContain('issued 0, existing 50, refused 0, failed 0');
    expect(repeated.code).toBe(0);
    for (const id of meterIds) expect(readFileSync(join(fresh, `${id}.pem`), 'utf8')).toBe(readFileSync(join(out, `${id}.pem`), 'utf8'));
    const [stored] = await query<{ count: string }>(`SELECT COUNT(*) AS count FROM ca_certificate WHERE profile = 'meter-calibration'`);
    expect(Number(stored!.count)).toBe(50);
  }, 240_000);

  it('loses nothing and issues nothing twice when the sub-CA is killed in the middle of a batch', async () => {
    const dir = join(work, 'crash');
    const { file, meterIds } = await makeBatch(dir, '02', 1000);
    const out = join(dir, 'out');

    // Small chunks and few retries: the service dies while chunks are in flight and the first run gives up. It is
    // killed once the line has its first answers and, if it comes within a few seconds, at a moment when the database
    // holds more certified meters than the line has answers for: committed work whose answer is lost.
    const interrupted = smpki(cliArgs(file, out, ['--batch-size', '50', '--concurrency', '2', '--retries', '1']));
    const results = join(out, 'results.ndjson');
    const answered = () => (existsSync(results) ? readFileSync(results, 'utf8').split('\n').length - 1 : 0);
    const certified = async () => Number((await query<{ count: string }>(`SELECT COUNT(*) AS count FROM meter WHERE meter_id LIKE $1 AND status = 'certified'`, [`1${FLAG_ID}02%`]))[0]!.count);
    const firstAnswers = Date.now() + 120_000;
    while (answered() === 0 && Date.now() < firstAnswers) await new Promise((done) => setTimeout(done, 20));
    const aheadOfTheLine = Date.now() + 5_000;
    while (Date.now() < aheadOfTheLine && (await certified()) <= answered()) await new Promise((done) => setTimeout(done, 5));
    await service.kill();
    const first = await interrupted.done;
    expect(first.code).not.toBe(0);
    const writtenBefore = readdirSync(out).filter((name) => name.endsWith('.pem') && name !== 'chain.pem').length;
    expect(writtenBefore).toBeGreaterThan(0);
    expect(writtenBefore).toBeLessThan(1000);

    await startService(service.port);
    const second = await smpki(cliArgs(file, out, ['--batch-size', '200'])).done;
    expect(second.code).toBe(0);
    const counts = /issued (\d+), existing (\d+), refused 0, failed 0 \(skipped (\d+) /.exec(second.stdout);
    expect(counts).not.toBeNull();
    const [issued, existing, skipped] = counts!.slice(1).map(Number) as [number, number, number];
    expect(skipped).toBe(writtenBefore);
    expect(issued + existing).toBe(1000 - writtenBefore);

    const meters = await query<{ meter_id: string; status: string; certificate_serial: string | null }>(
      `SELECT meter_id, status, certificate_serial FROM meter WHERE meter_id LIKE $1`,
      [`1${FLAG_ID}02%`],
    );
    expect(meters).toHaveLength(1000);
    expect(meters.filter((meter) => meter.status !== 'certified' || !meter.certificate_serial)).toEqual([]);
    const perMeter = await query<{ subject: string; count: string }>(
      `SELECT subject, COUNT(*) AS count FROM ca_certificate WHERE profile = 'meter-calibration' GROUP BY subject HAVING COUNT(*) > 1`,
    );
    expect(perMeter).toEqual([]);
    const serialTwice = await query<{ serial: string }>(`SELECT serial FROM ca_certificate GROUP BY serial HAVING COUNT(*) > 1`);
    expect(serialTwice).toEqual([]);
    const [certificates] = await query<{ count: string }>(`SELECT COUNT(*) AS count FROM ca_certificate WHERE profile = 'meter-calibration'`);
    expect(Number(certificates!.count)).toBe(1050);
    // What the line holds is what the registry holds: the pem of each meter is its current certificate.
    const serialOf = new Map(meters.map((meter) => [meter.meter_id, meter.certificate_serial!.toLowerCase()]));
    for (const id of meterIds) {
      const serial = new X509Certificate(readFileSync(join(out, `${id}.pem`))).serialNumber.toLowerCase().replace(/^0+/, '');
      expect(serial).toBe(serialOf.get(id)!.replace(/^0+/, ''));
    }

    // The directory stayed up through the crash: once the outbox drained it holds every meter exactly once (both
    // batches), each with its current certificate: the one the line holds.
    await publicationDrained();
    const published = await ldapSearch({ url: directory.ldapUrl, base: CA_DN, scope: 'sub', filter: '(objectClass=pkiUser)', attributes: ['serialNumber', 'userCertificate;binary'] });
    const publishedIds = published.map((entry) => textOf(entry, 'serialNumber'));
    expect(publishedIds).toHaveLength(1050);
    expect(new Set(publishedIds).size).toBe(1050);
    const certificateOf = new Map(published.map((entry) => [textOf(entry, 'serialNumber'), entry.attributes.get('userCertificate;binary')]));
    for (const id of meterIds) expect({ id, found: certificateOf.get(id) }).toEqual({ id, found: [new X509Certificate(readFileSync(join(out, `${id}.pem`))).raw] });
  }, 600_000);
});
