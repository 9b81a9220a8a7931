/**
 * verify-audit: checks the audit trail of an smpki database and names the first broken entry.
 *
 *   verify-audit (--db-url postgres://... | --sqlite <file>) (--trusted-key <key.pem> ... | --trust-embedded-keys)
 *
 * Exit status: 0 the chain is intact, 1 it is broken (the line names the first broken seq), 2 the command could
 * not check (bad arguments, unreadable key, database unreachable or without audit tables).
 * Opens the database read-only in spirit: runs no migrations, writes nothing (SQLite is opened read-only).
 */
import { parseArgs } from 'node:util';
import { type DatabaseConfig, dataSourceOptions, describeDatabase, initializeDataSource } from '@smpki/persistence';
import { DataSource } from 'typeorm';
import { formatAuditVerificationReport } from '../audit-verification-report';
import { readTrustedKey, TrustedKeyError } from '../trusted-key';
import { verifyAuditChain } from '../verify-audit-chain';

export const EXIT_INTACT = 0;
export const EXIT_BROKEN = 1;
export const EXIT_UNABLE = 2;

const USAGE = `usage: verify-audit (--db-url <postgres://...> | --sqlite <file>) (--trusted-key <spki-or-certificate.pem> ... | --trust-embedded-keys)

  --db-url <url>          PostgreSQL database of the service
  --sqlite <file>         SQLite database file of the service (opened read-only)
  --trusted-key <file>    public key (PEM "PUBLIC KEY", DER SPKI) or certificate of a checkpoint signing key; repeatable
  --trust-embedded-keys   trust the keys named in the checkpoints themselves (weaker: prints a warning)
  --checkpoint-every <n>  the service's SMPKI_AUDIT_CHECKPOINT_EVERY: a longer run of unsealed entries is a break
exit status: 0 intact, 1 broken, 2 could not verify`;

export interface VerifyAuditCommand {
  database: DatabaseConfig;
  trustedKeys: Buffer[];
  trustEmbeddedKeys: boolean;
  maxUnsealedEntries?: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseVerifyAuditArgs(argv: string[]): VerifyAuditCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'db-url': { type: 'string' },
        sqlite: { type: 'string' },
        'trusted-key': { type: 'string', multiple: true },
        'trust-embedded-keys': { type: 'boolean' },
        'checkpoint-every': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const url = values['db-url'];
  const sqlite = values.sqlite;
  if ((url === undefined) === (sqlite === undefined)) throw new UsageError('name the database with exactly one of --db-url or --sqlite');
  const keyFiles = values['trusted-key'] ?? [];
  const trustEmbeddedKeys = values['trust-embedded-keys'] ?? false;
  if (keyFiles.length === 0 && !trustEmbeddedKeys) {
    throw new UsageError('name the checkpoint signing keys with --trusted-key <file>, or pass --trust-embedded-keys');
  }
  const database: DatabaseConfig =
    url !== undefined
      ? { type: 'postgres', url, poolSize: 1, applicationName: 'smpki-verify-audit' }
      : { type: 'better-sqlite3', path: sqlite as string, readonly: true };
  let trustedKeys: Buffer[];
  try {
    trustedKeys = keyFiles.map(readTrustedKey);
  } catch (error) {
    if (error instanceof TrustedKeyError) throw new UsageError(error.message);
    throw error;
  }
  const every = values['checkpoint-every'];
  if (every !== undefined && !/^[1-9][0-9]{0,6}$/.test(every)) throw new UsageError('--checkpoint-every takes a whole number from 1 to 9999999');
  return { database, trustedKeys, trustEmbeddedKeys, ...(every !== undefined ? { maxUnsealedEntries: Number(every) } : {}) };
}

/** Runs the command; returns the exit status. */
export async function runVerifyAudit(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let command: VerifyAuditCommand;
  try {
    command = parseVerifyAuditArgs(argv);
  } catch (error) {
    err(`verify-audit: ${(error as Error).message}`);
    if (error instanceof UsageError) err(USAGE);
    return EXIT_UNABLE;
  }
  if (command.trustEmbeddedKeys) {
    err('verify-audit: WARNING: trusting the keys embedded in the checkpoints; this proves the checkpoints agree with each other, not who signed them');
  }
  let dataSource: DataSource;
  try {
    dataSource = await initializeDataSource(new DataSource(dataSourceOptions(command.database)));
  } catch (error) {
    err(`verify-audit: cannot open ${describeDatabase(command.database)}: ${(error as Error).message}`);
    return EXIT_UNABLE;
  }
  try {
    if (!(await hasAuditTables(dataSource))) {
      err(`verify-audit: ${describeDatabase(command.database)} has no audit tables (not an smpki database, or never migrated)`);
      return EXIT_UNABLE;
    }
    const report = await verifyAuditChain(dataSource, {
      trustedCheckpointKeys: command.trustedKeys,
      trustEmbeddedKeys: command.trustEmbeddedKeys,
      ...(command.maxUnsealedEntries !== undefined ? { maxUnsealedEntries: command.maxUnsealedEntries } : {}),
    });
    out(formatAuditVerificationReport(report));
    return report.ok ? EXIT_INTACT : EXIT_BROKEN;
  } catch (error) {
    err(`verify-audit: verification failed: ${(error as Error).message}`);
    return EXIT_UNABLE;
  } finally {
    await dataSource.destroy();
  }
}

async function hasAuditTables(dataSource: DataSource): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    return await runner.hasTable('audit_event');
  } finally {
    await runner.release();
  }
}

if (require.main === module) {
  void runVerifyAudit(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then((status) => {
    process.exitCode = status;
  });
}
