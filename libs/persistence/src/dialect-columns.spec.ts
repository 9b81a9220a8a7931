import { Column, Entity, getMetadataArgsStorage, PrimaryColumn } from 'typeorm';
import { columnTypeFor, withDialectColumnTypes } from './dialect-columns';

@Entity({ name: 'dialect_columns_probe' })
class Probe {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  id!: string;

  @Column({ type: 'bytea' })
  blob!: Buffer;

  @Column({ type: 'timestamptz' })
  at!: Date;
}

function declaredType(property: keyof Probe): unknown {
  return getMetadataArgsStorage().columns.find((column) => column.target === Probe && column.propertyName === property)?.options.type;
}

describe('dialect columns', () => {
  it('maps the PostgreSQL binary and instant types to SQLite, and nothing else', () => {
    expect(columnTypeFor('bytea', 'better-sqlite3')).toBe('blob');
    expect(columnTypeFor('timestamptz', 'better-sqlite3')).toBe('datetime');
    expect(columnTypeFor('varchar', 'better-sqlite3')).toBe('varchar');
    expect(columnTypeFor('bytea', 'postgres')).toBe('bytea');
  });

  it('lends the SQLite types only while the build runs, and restores them when it fails', async () => {
    const seen = await withDialectColumnTypes('better-sqlite3', async () => [declaredType('blob'), declaredType('at'), declaredType('id')]);
    expect(seen).toEqual(['blob', 'datetime', 'varchar']);
    expect([declaredType('blob'), declaredType('at')]).toEqual(['bytea', 'timestamptz']);

    await expect(
      withDialectColumnTypes('better-sqlite3', async () => {
        throw new Error('connection refused');
      }),
    ).rejects.toThrow('connection refused');
    expect([declaredType('blob'), declaredType('at')]).toEqual(['bytea', 'timestamptz']);
  });

  it('changes nothing for PostgreSQL', async () => {
    expect(await withDialectColumnTypes('postgres', async () => declaredType('blob'))).toBe('bytea');
  });
});
