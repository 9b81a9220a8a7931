/**
 * bench/skm (`npm run bench -- skm`): (a) meter keys imported per second from a CMS key shipment (unwrap from the
 * shipment, KCV check, wrap under the tenant master, store, audit) and (b) keys re-wrapped per second by the
 * provider change of --meters meters (default 100,000), each beside the raw HSM rates of the same token and workers in the same run.
 * The bar: at least 50% of the raw unwrap rate.
 *
 * Options: --meters <n> (100000), --import-keys <n> (20000), --slice <n> (1000, the default of `smpki skm import`),
 * --in-flight <n> provider-change calls at once (2), --workers <n> (cores), --seconds <n> per raw figure (3),
 * --postgres (a temporary PostgreSQL database instead of SQLite), --keep (keep the work directory).
 * Beside each rate: the CPU milliseconds per 1,000 keys of this process and (PostgreSQL) of the database server,
 * steadier than the rates on a shared machine.
 *
 * (a) imports a CMS shipment made by `openssl cms -encrypt` through ShipmentImportService, in slices as `smpki skm
 * import` sends it (--slice, default 1000 as the CLI).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { insertRows } from '../../libs/persistence/src/index';
import { MAX_PROVIDER_CHANGE_METERS, masterKeyUri, packShipment, SkmMeterKey, type ClearShipmentKey } from '../../libs/skm/src/index';
import { flag, integerOption } from '../lib/options';
import { measureRate } from '../lib/rate';
import { formatRate, formatShare, formatTable } from '../lib/table';
import { inWorkDir, writeResultFile } from '../lib/work-dir';
import { startCpuMeter, type CpuSpent } from './cpu-meter';
import { openSkmFixture, type SkmFixture } from './skm-fixture';

const log = (line: string): void => console.error(`[bench/skm] ${line}`);

/** Import slices in flight at once, as `smpki skm import` sends them: the HSM work of one overlaps the database
 * write of the other. */
const SLICES_IN_FLIGHT = 2;

/** 16 hex digits; the prefix keeps the two populations apart. */
const meterId = (prefix: string, index: number): string => `${prefix}${index.toString(16).toUpperCase().padStart(16 - prefix.length, '0')}`;

interface PhaseRate {
  keys: number;
  seconds: number;
  perSecond: number;
  cpu: CpuSpent;
}

/** CPU ms per 1,000 keys: this process (Node + HSM workers) + the database server. */
function cpuPerThousand({ keys, cpu }: PhaseRate): string {
  const per = (ms: number): string => ((ms * 1000) / keys).toFixed(0);
  return cpu.databaseMs === undefined ? `${per(cpu.processMs)} ms` : `${per(cpu.processMs)} + ${per(cpu.databaseMs)} ms`;
}

/** Runs `work` over 0..count-1 with `concurrency` callers. */
async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

/**
 * A CMS shipment of `count` wM-Bus keys made by `openssl cms -encrypt` to the SKM's certificate (as a manufacturer
 * makes one), imported through ShipmentImportService in slices of `slice` keys, one after another as `smpki skm
 * import` sends them (SLICES_IN_FLIGHT at once): unwrap from the shipment + KCV + wrap under the master + store + audit.
 */
async function shipmentImportRate(f: SkmFixture, dir: string, count: number, slice: number): Promise<PhaseRate> {
  const keys: ClearShipmentKey[] = Array.from({ length: count }, (_, index) => ({ meterId: meterId('1A', index), kind: 'wmbus', key: randomBytes(16) }));
  writeFileSync(join(dir, 'skm-enc.pem'), (await f.identity.get()).pem);
  writeFileSync(join(dir, 'shipment.bin'), packShipment(keys));
  const envelope = execFileSync('openssl', ['cms', '-encrypt', '-binary', '-aes128', '-recip', join(dir, 'skm-enc.pem'), '-keyopt', 'ecdh_kdf_md:sha256', '-in', join(dir, 'shipment.bin'), '-outform', 'DER']);
  let imported = 0;
  const cpu = await startCpuMeter(f.dataSource);
  const start = performance.now();
  await inParallel(Math.ceil(count / slice), SLICES_IN_FLIGHT, async (index) => {
    const answer = await f.shipments.importEnvelope(f.giving, envelope, 'bench', { from: index * slice, count: slice });
    imported += answer.results.filter((result) => result.status === 'imported').length;
  });
  const seconds = (performance.now() - start) / 1000;
  if (imported !== count) throw new Error(`${imported} of ${count} shipment keys imported`);
  return { keys: count, seconds, perSecond: count / seconds, cpu: await cpu.stop() };
}

/** --meters rows of real blobs generated in the HSM under the giving tenant's master, inserted in bulk. */
async function loadMeters(f: SkmFixture, meters: number, workers: number): Promise<string[]> {
  const master = masterKeyUri(f.masters.names, f.giving, 1);
  const ids = Array.from({ length: meters }, (_, index) => meterId('2B', index));
  const rows: SkmMeterKey[] = new Array(meters);
  const now = new Date();
  await inParallel(meters, workers * 64, async (index) => {
    const key = await f.km.generateWrappedAesKey(master, 128);
    rows[index] = Object.assign(new SkmMeterKey(), {
      id: randomUUID(), tenantId: f.giving.id, meterId: ids[index]!, kind: 'wmbus', version: 1, state: 'active', bits: 128,
      wrapped: key.wrapped.toString('hex'), masterVersion: 1, kcv: '000000', origin: 'generated',
      createdAt: now, activatedAt: now, retiredAt: null, destroyedAt: null,
    });
  });
  await f.dataSource.transaction((manager) => insertRows(manager, SkmMeterKey, rows));
  // The planner statistics autovacuum gives a production server after such a load (the development server runs
  // without autovacuum): without them PostgreSQL scans the table for each call's meter-id lookups.
  if (f.dialect === 'postgres') await f.dataSource.query('ANALYZE skm_meter_key');
  return ids;
}

/**
 * Calls of MAX_PROVIDER_CHANGE_METERS meters, `inFlight` at once as a provider-change workflow sends them: the HSM
 * re-wrap of one call overlaps the database write of the other.
 */
async function providerChangeRate(f: SkmFixture, ids: string[], inFlight: number): Promise<PhaseRate> {
  let keys = 0;
  const calls = Math.ceil(ids.length / MAX_PROVIDER_CHANGE_METERS);
  const cpu = await startCpuMeter(f.dataSource);
  const start = performance.now();
  await inParallel(calls, inFlight, async (call) => {
    const at = call * MAX_PROVIDER_CHANGE_METERS;
    const moved = await f.providerChange.transfer(f.giving, f.receiving, ids.slice(at, at + MAX_PROVIDER_CHANGE_METERS), 'bench');
    keys += moved.keys;
    if (call % 40 === 39) log(`  ${keys.toLocaleString('en-US')} keys moved, ${formatRate((keys * 1000) / (performance.now() - start))} so far`);
  });
  const seconds = (performance.now() - start) / 1000;
  if (keys !== ids.length) throw new Error(`${keys} of ${ids.length} keys moved`);
  return { keys, seconds, perSecond: keys / seconds, cpu: await cpu.stop() };
}

/** The raw token rates over the same masters and workers: rewrapKey, and unwrap (+ one ECB block + destroy). */
async function rawRates(f: SkmFixture, workers: number, durationMs: number) {
  const from = masterKeyUri(f.masters.names, f.giving, 1);
  const to = masterKeyUri(f.masters.names, f.receiving, 1);
  const blob = await f.km.generateWrappedAesKey(from, 128);
  const options = { durationMs, concurrency: workers * 64, warmupMs: 300 };
  const rewrap = await measureRate(() => f.km.rewrapKey(blob, to), options);
  const unwrap = await measureRate(() => f.km.aesEcbEncryptBlock(blob, Buffer.alloc(16)), options);
  const generate = await measureRate(() => f.km.generateWrappedAesKey(from, 128), options);
  return { rewrap, unwrap, generate };
}

async function main(): Promise<void> {
  const meters = integerOption('meters', 100_000);
  const importKeys = integerOption('import-keys', 20_000);
  const slice = integerOption('slice', 1000);
  const inFlight = integerOption('in-flight', 2);
  const workers = integerOption('workers', availableParallelism());
  const durationMs = integerOption('seconds', 3) * 1000;
  await inWorkDir('smpki-bench-skm-', flag('keep'), log, async (dir) => {
    const f = await openSkmFixture({ dir, workers, postgres: flag('postgres') });
    try {
      log(`${f.dialect}, SoftHSM2 with ${workers} workers`);
      log('raw HSM rates (before)');
      const before = await rawRates(f, workers, durationMs);
      log(`importing a CMS shipment of ${importKeys.toLocaleString('en-US')} keys in slices of ${slice}`);
      const imported = await shipmentImportRate(f, dir, importKeys, slice);
      log(`loading ${meters.toLocaleString('en-US')} meters (keys generated in the HSM, bulk insert)`);
      const ids = await loadMeters(f, meters, workers);
      log(`provider change of ${meters.toLocaleString('en-US')} meters in calls of ${MAX_PROVIDER_CHANGE_METERS}, ${inFlight} in flight`);
      const moved = await providerChangeRate(f, ids, inFlight);
      log('raw HSM rates (after)');
      const after = await rawRates(f, workers, durationMs);
      const mean = (a: { perSecond: number }, b: { perSecond: number }): number => (a.perSecond + b.perSecond) / 2;
      const raw = { rewrapPerSecond: mean(before.rewrap, after.rewrap), unwrapPerSecond: mean(before.unwrap, after.unwrap), generatePerSecond: mean(before.generate, after.generate) };
      const share = moved.perSecond / raw.unwrapPerSecond;
      const importShare = imported.perSecond / raw.unwrapPerSecond;
      const rows = [
        [`raw rewrapKey (unwrap + wrap under another master), ${workers} workers`, formatRate(raw.rewrapPerSecond), '', ''],
        [`raw unwrap AES-128 + 1 ECB block + destroy, ${workers} workers`, formatRate(raw.unwrapPerSecond), '100.0%', ''],
        [`raw generate AES-128 + wrap, ${workers} workers`, formatRate(raw.generatePerSecond), '', ''],
        [`shipment import: unwrap from CMS + KCV + wrap under master + store + audit (${importKeys.toLocaleString('en-US')} keys, slices of ${slice})`, formatRate(imported.perSecond), formatShare(importShare), cpuPerThousand(imported)],
        [`provider change: re-wrap + update (${moved.keys.toLocaleString('en-US')} keys, calls of ${MAX_PROVIDER_CHANGE_METERS}, ${inFlight} in flight)`, formatRate(moved.perSecond), formatShare(share), cpuPerThousand(moved)],
      ];
      console.log([
        `bench/skm on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${f.dialect}`,
        '',
        formatTable(['operation', 'rate', 'of raw unwrap', f.dialect === 'postgres' ? 'CPU / 1,000 keys (Node + server)' : 'CPU / 1,000 keys'], rows),
        '',
        `shipment import / raw unwrap: ${formatShare(importShare)} (${importShare >= 0.5 ? 'meets' : 'BELOW'} the 50% target)`,
        `provider change / raw unwrap: ${formatShare(share)} (${share >= 0.5 ? 'meets' : 'BELOW'} the 50% target); raw before/after: unwrap ${formatRate(before.unwrap.perSecond)} / ${formatRate(after.unwrap.perSecond)}`,
      ].join('\n'));
      writeResultFile('skm', {
        measuredAt: new Date().toISOString(),
        machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
        database: f.dialect,
        workers,
        raw: { ...raw, before, after },
        import: { ...imported, path: 'ShipmentImportService.importEnvelope, openssl cms shipment', slice, shareOfRawUnwrap: importShare, target: 0.5, meetsTarget: importShare >= 0.5 },
        providerChange: { meters, ...moved, batch: MAX_PROVIDER_CHANGE_METERS, callsInFlight: inFlight, shareOfRawUnwrap: share, target: 0.5, meetsTarget: share >= 0.5 },
      }, log);
    } finally {
      await f.close();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
