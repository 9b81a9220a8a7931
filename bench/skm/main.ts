/**
 * bench/skm (`npm run bench -- skm`): (a) meter keys imported per second (unwrap from a transport-key blob, KCV check,
 * re-wrap under the tenant master, store, audit) and (b) keys re-wrapped per second by the provider change of
 * --meters meters (default 100,000), each beside the raw HSM rates of the same token and workers in the same run.
 * The bar: (b) at least 50% of the raw unwrap rate.
 *
 * Options: --meters <n> (100000), --import-keys <n> (2000), --workers <n> (cores), --seconds <n> per raw figure (3),
 * --postgres (a temporary PostgreSQL database instead of SQLite), --keep (keep the work directory).
 *
 * (a) runs MeterKeyService.import key by key (32 at a time): the import of a whole shipment (CMS, issue item 3) is a
 * separate service; this is the per-key path a transport-key shipment takes.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { insertRows } from '../../libs/persistence/src/index';
import { MAX_PROVIDER_CHANGE_METERS, masterKeyUri, SkmMeterKey } from '../../libs/skm/src/index';
import { softwareKcv, softwareWrap } from '../../test/skm/support/skm-crypto';
import { flag, integerOption } from '../lib/options';
import { measureRate } from '../lib/rate';
import { formatRate, formatShare, formatTable } from '../lib/table';
import { inWorkDir, writeResultFile } from '../lib/work-dir';
import { openSkmFixture, type SkmFixture } from './skm-fixture';

const log = (line: string): void => console.error(`[bench/skm] ${line}`);

/** 16 hex digits; the prefix keeps the two populations apart. */
const meterId = (prefix: string, index: number): string => `${prefix}${index.toString(16).toUpperCase().padStart(16 - prefix.length, '0')}`;

/** Runs `work` over 0..count-1 with `concurrency` callers. */
async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

async function importRate(f: SkmFixture, count: number): Promise<{ keys: number; seconds: number; perSecond: number }> {
  const shipment = Array.from({ length: count }, (_, index) => {
    const key = Buffer.from(randomUUID().replaceAll('-', ''), 'hex');
    return { meterId: meterId('1A', index), wrapped: softwareWrap(f.transportKey, key).toString('hex'), kcv: softwareKcv(key) };
  });
  const start = performance.now();
  await inParallel(count, 32, async (index) => {
    const item = shipment[index]!;
    await f.meterKeys.import(f.giving, item.meterId, { kind: 'wmbus', transportKey: 'mfr', wrapped: item.wrapped, kcv: item.kcv }, 'bench');
  });
  const seconds = (performance.now() - start) / 1000;
  return { keys: count, seconds, perSecond: count / seconds };
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
  return ids;
}

async function providerChangeRate(f: SkmFixture, ids: string[]): Promise<{ keys: number; seconds: number; perSecond: number }> {
  let keys = 0;
  const start = performance.now();
  for (let at = 0; at < ids.length; at += MAX_PROVIDER_CHANGE_METERS) {
    keys += (await f.providerChange.transfer(f.giving, f.receiving, ids.slice(at, at + MAX_PROVIDER_CHANGE_METERS), 'bench')).keys;
    if ((at / MAX_PROVIDER_CHANGE_METERS) % 40 === 39) log(`  ${keys.toLocaleString('en-US')} keys moved`);
  }
  const seconds = (performance.now() - start) / 1000;
  return { keys, seconds, perSecond: keys / seconds };
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
  const importKeys = integerOption('import-keys', 2000);
  const workers = integerOption('workers', availableParallelism());
  const durationMs = integerOption('seconds', 3) * 1000;
  await inWorkDir('smpki-bench-skm-', flag('keep'), log, async (dir) => {
    const f = await openSkmFixture({ dir, workers, postgres: flag('postgres') });
    try {
      log(`${f.dialect}, SoftHSM2 with ${workers} workers`);
      log('raw HSM rates (before)');
      const before = await rawRates(f, workers, durationMs);
      log(`importing ${importKeys} keys through MeterKeyService.import`);
      const imported = await importRate(f, importKeys);
      log(`loading ${meters.toLocaleString('en-US')} meters (keys generated in the HSM, bulk insert)`);
      const ids = await loadMeters(f, meters, workers);
      log(`provider change of ${meters.toLocaleString('en-US')} meters in calls of ${MAX_PROVIDER_CHANGE_METERS}`);
      const moved = await providerChangeRate(f, ids);
      log('raw HSM rates (after)');
      const after = await rawRates(f, workers, durationMs);
      const mean = (a: { perSecond: number }, b: { perSecond: number }): number => (a.perSecond + b.perSecond) / 2;
      const raw = { rewrapPerSecond: mean(before.rewrap, after.rewrap), unwrapPerSecond: mean(before.unwrap, after.unwrap), generatePerSecond: mean(before.generate, after.generate) };
      const share = moved.perSecond / raw.unwrapPerSecond;
      const rows = [
        [`raw rewrapKey (unwrap + wrap under another master), ${workers} workers`, formatRate(raw.rewrapPerSecond), ''],
        [`raw unwrap AES-128 + 1 ECB block + destroy, ${workers} workers`, formatRate(raw.unwrapPerSecond), '100.0%'],
        [`raw generate AES-128 + wrap, ${workers} workers`, formatRate(raw.generatePerSecond), ''],
        [`import: unwrap + KCV + re-wrap + store + audit (${importKeys} keys, per key)`, formatRate(imported.perSecond), formatShare(imported.perSecond / raw.unwrapPerSecond)],
        [`provider change: re-wrap + update (${moved.keys.toLocaleString('en-US')} keys, ${f.dialect})`, formatRate(moved.perSecond), formatShare(share)],
      ];
      console.log([
        `bench/skm on ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${f.dialect}`,
        '',
        formatTable(['operation', 'rate', 'of raw unwrap'], rows),
        '',
        `provider change / raw unwrap: ${formatShare(share)} (${share >= 0.5 ? 'meets' : 'BELOW'} the 50% target); raw before/after: unwrap ${formatRate(before.unwrap.perSecond)} / ${formatRate(after.unwrap.perSecond)}`,
      ].join('\n'));
      writeResultFile('skm', {
        measuredAt: new Date().toISOString(),
        machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
        database: f.dialect,
        workers,
        raw: { ...raw, before, after },
        import: { ...imported, path: 'MeterKeyService.import per key, 32 concurrent' },
        providerChange: { meters, ...moved, batch: MAX_PROVIDER_CHANGE_METERS, shareOfRawUnwrap: share, target: 0.5, meetsTarget: share >= 0.5 },
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
