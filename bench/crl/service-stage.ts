/**
 * bench/crl, second stage: the same size of CRL through the service path. A throwaway PostgreSQL database, the
 * bench sub-CA (bench/issuance/bench-pki.ts: SoftHSM2 token, root and sub-CA certificates, cas.json) registered
 * by CaRegistry, `entries` revoked ca_certificate rows inserted and vacuumed in bulk (no certificates are signed for them), then
 * one CrlPublisher.issueCrl timed in a child process (service-crl.ts). The CRL is checked here: openssl crl
 * verifies its signature with the sub-CA certificate, it lists exactly the inserted serials, and ca_crl holds it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaRegistry, parseCaConfig } from '@smpki/ca';
import { parseCrl } from '@smpki/crypto';
import { Pkcs11KeyManager } from '@smpki/hsm';
import { openDatabase } from '@smpki/persistence';
import type { DataSource } from 'typeorm';
import { insertRevokedRows } from '../../test/ca/support/revoked-rows';
import { createTestDatabase } from '../../test/support/postgres';
import { testHsmConfig } from '../../test/support/softhsm';
import { BENCH_CA, createBenchPki, type BenchPki } from '../issuance/bench-pki';
import { runTypescriptChild } from '../lib/typescript-child';
import { opensslVerifiesCrl } from './openssl-crl-verify';
import type { ServiceCrlInput, ServiceCrlRun } from './service-crl';

export interface ServiceStageResult {
  run: ServiceCrlRun;
  entries: number;
  insertSeconds: number;
  verifySeconds: number;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

/** Registers the bench CA in the database as the service does at start; returns its ca_authority id. */
async function registerAuthority(pki: BenchPki, dataSource: DataSource): Promise<string> {
  const km = await Pkcs11KeyManager.open(testHsmConfig(pki.token, { workers: 1, callTimeoutMs: 10_000 }));
  try {
    const configs = parseCaConfig(readFileSync(pki.caConfigPath, 'utf8'), pki.dir);
    return (await CaRegistry.open(configs, km, dataSource)).get(BENCH_CA).id;
  } finally {
    await km.close(); // the child process is the token's only user while it signs
  }
}

/** Every entry is one of the inserted serials, each once, and there are as many as inserted. */
function checkEntries(der: Buffer, serials: Set<string>): void {
  const crl = parseCrl(der);
  let count = 0;
  for (const entry of crl.entries()) {
    if (!serials.delete(entry.serialNumberHex)) throw new Error(`service CRL lists ${entry.serialNumberHex}, which was not inserted (or twice)`);
    count++;
  }
  if (serials.size > 0) throw new Error(`service CRL lists ${count} entries; ${serials.size} inserted serials are missing`);
}

export async function runServiceStage(entries: number, workDir: string, log: (line: string) => void): Promise<ServiceStageResult> {
  const dir = join(workDir, 'service');
  mkdirSync(dir);
  const database = await createTestDatabase('smpki_bench_crl');
  let pki: BenchPki | undefined;
  let dataSource: DataSource | undefined;
  try {
    pki = await createBenchPki(dir);
    dataSource = await openDatabase({ type: 'postgres', url: database.url, poolSize: 2 });
    const authorityId = await registerAuthority(pki, dataSource);

    log(`service: inserting ${entries.toLocaleString('en-US')} revoked ca_certificate rows into PostgreSQL database ${database.name}`);
    const serials = new Set<string>();
    const insertStart = performance.now();
    await insertRevokedRows(dataSource, authorityId, entries, (row) => serials.add(row.serial));
    // What autovacuum does after a load this size: the rows of a CA revoked over years have long been vacuumed
    // (hint bits set, visibility map written) and the planner knows the table's size. The CRL is timed in that state.
    await dataSource.query('VACUUM (ANALYZE) ca_certificate');
    const insertSeconds = seconds(insertStart);
    log(`service: rows inserted and vacuumed in ${insertSeconds.toFixed(1)} s; CrlPublisher.issueCrl in a child process`);

    const input: ServiceCrlInput = { databaseUrl: database.url, token: pki.token, caConfigPath: pki.caConfigPath, outDir: dir };
    const run = runTypescriptChild<ServiceCrlRun>(join(__dirname, 'service-crl.ts'), [JSON.stringify(input)], 'service CRL');

    const verifyStart = performance.now();
    const crlPath = join(dir, 'service.crl');
    if (!opensslVerifiesCrl(crlPath, join(dir, 'sub.pem'), 'DER')) throw new Error('openssl crl does not verify the service CRL with the sub-CA certificate');
    const der = readFileSync(crlPath);
    const [stored] = (await dataSource.query('SELECT der FROM ca_crl WHERE id = $1', [run.crlId])) as { der: Buffer }[];
    if (!stored?.der.equals(der)) throw new Error(`ca_crl ${run.crlId} does not hold the CRL the publisher returned`);
    checkEntries(der, serials);
    return { run, entries, insertSeconds, verifySeconds: seconds(verifyStart) };
  } finally {
    await dataSource?.destroy();
    pki?.remove();
    await database.drop();
  }
}
