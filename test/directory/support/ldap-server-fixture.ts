/**
 * The directory's LDAP server in the test process on a fresh SQLite store, on a free port: what the fuzz and abuse
 * tests attack. `errors` collects what the server reported (it must keep running whatever they are).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryLdapServer, DirectoryStore, type DirectoryLdapOptions } from '@smpki/directory';
import { openDatabase } from '@smpki/persistence';
import type { DataSource } from 'typeorm';

export interface LdapServerFixture {
  store: DirectoryStore;
  port: number;
  errors: Error[];
  close(): Promise<void>;
}

export async function startLdapServerFixture(
  prepare: (store: DirectoryStore) => Promise<void> = async () => undefined,
  options: Partial<DirectoryLdapOptions> = {},
): Promise<LdapServerFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'smpki-ldap-'));
  const dataSource: DataSource = await openDatabase({ type: 'better-sqlite3', path: join(dir, 'smpki.sqlite') });
  const store = new DirectoryStore(dataSource);
  await prepare(store);
  const errors: Error[] = [];
  const server = new DirectoryLdapServer(store, { port: 0, host: '127.0.0.1', onError: (error) => errors.push(error), ...options });
  const port = await server.listen();
  return {
    store,
    port,
    errors,
    close: async () => {
      await server.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
