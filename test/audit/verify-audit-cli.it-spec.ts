/**
 * The operators' command: `node --require libs/persistence/src/tools/typescript-hooks.cjs
 * libs/audit/src/cli/verify-audit.ts ...` (or the compiled verify-audit.js), run here as a child process.
 */
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail } from '@smpki/audit';
import { describePostgres } from '../persistence/support/describe-postgres';
import { type ChildResult, runTypescript } from '../persistence/support/run-typescript';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabase } from '../persistence/support/test-databases';
import { SoftwareSigner } from '../support/software-signer';

const CLI = 'libs/audit/src/cli/verify-audit.ts';
const signer = SoftwareSigner.generate('brainpoolP256r1', 'pkcs11:token=audit;object=checkpoint-2026');

function verifyAudit(args: string[]): Promise<ChildResult> {
  return runTypescript(CLI, args);
}

describe('verify-audit command', () => {
  let dir: string;
  let db: TestDatabase;
  let trustedKey: string;
  let otherKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-verify-audit-'));
    trustedKey = join(dir, 'checkpoint-key.pem');
    writeFileSync(trustedKey, createPublicKey({ key: signer.publicKey.spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }));
    otherKey = join(dir, 'other-key.der');
    writeFileSync(otherKey, SoftwareSigner.generate('brainpoolP256r1').publicKey.spki);
    db = await sqliteTestDatabase();
    const trail = new AuditTrail(db.dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: 10 });
    for (let n = 1; n <= 25; n++) await trail.append({ action: 'certificate.issued', outcome: 'success', actor: 'CN=operator-1', details: { n } });
  });

  afterAll(async () => {
    await db.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = (): string[] => ['--sqlite', (db.config as { path: string }).path];

  it('exits 0 on an intact chain, and 1 naming the key when the checkpoints are signed by another one', async () => {
    const [intact, untrusted] = await Promise.all([
      verifyAudit([...sqlite(), '--trusted-key', trustedKey]),
      verifyAudit([...sqlite(), '--trusted-key', otherKey]),
    ]);
    expect(intact).toEqual({
      status: 0,
      stdout: 'audit chain intact: 25 entries, 2 signed checkpoints; 5 entries after seq 20 not yet sealed by a checkpoint\n',
      stderr: '',
    });
    expect(untrusted).toMatchObject({
      status: 1,
      stdout: 'audit chain broken at seq 10: the checkpoint at seq 10 is signed by an untrusted key (pkcs11:token=audit;object=checkpoint-2026)\n',
    });
  });

  it('trusts the embedded keys only when asked, with a warning', async () => {
    const result = await verifyAudit([...sqlite(), '--trust-embedded-keys']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^verify-audit: WARNING: trusting the keys embedded in the checkpoints/);
  });

  it('exits 2 with the usage on bad arguments, unreadable keys and missing databases', async () => {
    const results = await Promise.all([
      verifyAudit(sqlite()),
      verifyAudit([...sqlite(), '--db-url', 'postgres://localhost/x', '--trust-embedded-keys']),
      verifyAudit([...sqlite(), '--trusted-key', join(dir, 'missing.pem')]),
      verifyAudit(['--sqlite', join(dir, 'no-such.sqlite'), '--trust-embedded-keys']),
    ]);
    expect(results.map((result) => result.status)).toEqual([2, 2, 2, 2]);
    expect(results[0].stderr).toContain('name the checkpoint signing keys with --trusted-key <file>, or pass --trust-embedded-keys');
    expect(results[0].stderr).toContain('usage: verify-audit');
    expect(results[1].stderr).toContain('name the database with exactly one of --db-url or --sqlite');
    expect(results[2].stderr).toContain(`cannot read trusted key ${join(dir, 'missing.pem')}: ENOENT`);
    expect(results[3].stderr).toContain(`verify-audit: cannot open SQLite ${join(dir, 'no-such.sqlite')}`);
  });

  it('exits 1 naming the first broken entry after a row was edited', async () => {
    await db.dataSource.query(`UPDATE audit_event SET actor = 'CN=someone-else' WHERE seq = 17`);
    const result = await verifyAudit([...sqlite(), '--trusted-key', trustedKey]);
    expect(result).toEqual({ status: 1, stdout: 'audit chain broken at seq 17: hash mismatch (row edited)\n', stderr: '' });
  });
});

describePostgres('verify-audit command on PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  let trustedKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-verify-audit-'));
    trustedKey = join(dir, 'checkpoint-key.pem');
    writeFileSync(trustedKey, createPublicKey({ key: signer.publicKey.spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }));
    db = await postgresTestDatabase();
    const trail = new AuditTrail(db.dataSource, { service: 'skm', checkpointSigner: signer, checkpointEvery: 10 });
    for (let n = 1; n <= 20; n++) await trail.append({ action: 'key.created', outcome: 'success', details: { n } });
  });

  afterAll(async () => {
    await db.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when intact and 1 naming a deleted row', async () => {
    const url = (db.config as { url: string }).url;
    expect(await verifyAudit(['--db-url', url, '--trusted-key', trustedKey])).toEqual({
      status: 0,
      stdout: 'audit chain intact: 20 entries, 2 signed checkpoints\n',
      stderr: '',
    });
    await db.dataSource.query('DELETE FROM audit_event WHERE seq = 4');
    expect(await verifyAudit(['--db-url', url, '--trusted-key', trustedKey])).toEqual({
      status: 1,
      stdout: 'audit chain broken at seq 4: entry missing (row deleted; the next entry is seq 5)\n',
      stderr: '',
    });
  });
});
