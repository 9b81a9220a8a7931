import type { DataSource } from 'typeorm';

export interface SchemaStatement {
  query: string;
  parameters?: unknown[];
}

/** SQL that would bring a database to the shape the entities describe (what `migration:generate` would write). */
export interface SchemaChanges {
  up: SchemaStatement[];
  /** In the order that undoes `up`. */
  down: SchemaStatement[];
}

/**
 * The statements `typeorm migration:generate --check` would find missing: empty when the migrations that ran
 * on this database produce exactly the schema the entities describe.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await schemaChanges(dataSource)).up.map((statement) => statement.query);
}

/** Both directions, as TypeORM's schema builder computes them (the migration generator writes these). */
export async function schemaChanges(dataSource: DataSource): Promise<SchemaChanges> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: sql.upQueries.map(({ query, parameters }) => ({ query, parameters })),
    down: sql.downQueries.map(({ query, parameters }) => ({ query, parameters })).reverse(),
  };
}
