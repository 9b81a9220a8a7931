/**
 * Generates the next migration for both dialects at once from the entities (TypeORM's schema builder, the same
 * SQL `typeorm migration:generate` writes), so the PostgreSQL and SQLite histories never drift apart:
 *
 *   node --require ./libs/persistence/src/tools/typescript-hooks.cjs libs/persistence/src/tools/generate-migration.ts --name AddBootstrapCredential
 *   ... generate-migration.ts --check      exit 1 when the entities need a migration that does not exist yet
 *
 * Each dialect gets a scratch database (a temporary SQLite file; a temporary PostgreSQL database created through
 * --pg-url, default postgres://postgres@127.0.0.1:5432/postgres), all existing migrations are applied to it, and
 * what is still missing becomes `<timestamp>-<Name>.ts` in migrations/<dialect>/, with the same timestamp in
 * both; each directory's index.ts is rewritten to list its files.
 */
import { parseArgs } from 'node:util';
import { DATABASE_DIALECTS, type DatabaseDialect, redactDatabaseUrl } from '../database-config';
import { openDatabase } from '../open-database';
import { type SchemaChanges, schemaChanges } from '../schema-check';
import { MIGRATION_DIRECTORIES, writeMigration, writeMigrationIndex } from './migration-files';
import { withScratchDatabase } from './scratch-database';

const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const MIGRATION_NAME = /^[A-Z][A-Za-z0-9]*$/;

interface GenerateOptions {
  name?: string;
  check: boolean;
  postgresAdminUrl: string;
}

function parseOptions(argv: string[]): GenerateOptions {
  const { values } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, check: { type: 'boolean' }, 'pg-url': { type: 'string' } },
    strict: true,
  });
  const check = values.check ?? false;
  if (!check && (values.name === undefined || !MIGRATION_NAME.test(values.name))) {
    throw new Error('give the migration a PascalCase --name (e.g. --name AddBootstrapCredential), or pass --check');
  }
  return { name: values.name, check, postgresAdminUrl: values['pg-url'] ?? DEFAULT_PG_ADMIN_URL };
}

/** What the entities need beyond the existing migrations of `dialect`. */
function missingChanges(dialect: DatabaseDialect, postgresAdminUrl: string): Promise<SchemaChanges> {
  return withScratchDatabase(dialect, postgresAdminUrl, async (config) => {
    const dataSource = await openDatabase(config);
    try {
      return await schemaChanges(dataSource);
    } finally {
      await dataSource.destroy();
    }
  });
}

export async function generateMigration(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseOptions(argv);
  const timestamp = Date.now();
  let changed = 0;
  for (const dialect of DATABASE_DIALECTS) {
    const directory = MIGRATION_DIRECTORIES[dialect];
    const changes = await missingChanges(dialect, options.postgresAdminUrl).catch((error: Error) => {
      throw new Error(`${directory.label}: ${error.message.replaceAll(options.postgresAdminUrl, redactDatabaseUrl(options.postgresAdminUrl))}`);
    });
    if (changes.up.length === 0) {
      out(`${directory.label}: entities and migrations agree`);
      continue;
    }
    changed++;
    if (options.check) {
      out(`${directory.label}: the entities need a migration:\n${changes.up.map((statement) => `  ${statement.query};`).join('\n')}`);
      continue;
    }
    const file = writeMigration(directory, options.name as string, timestamp, changes);
    writeMigrationIndex(directory);
    out(`${directory.label}: wrote ${file} (${changes.up.length} statements)`);
  }
  return options.check && changed > 0 ? 1 : 0;
}

if (require.main === module) {
  generateMigration(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    (status) => {
      process.exitCode = status;
    },
    (error: Error) => {
      process.stderr.write(`generate-migration: ${error.message}\n`);
      process.exitCode = 2;
    },
  );
}
