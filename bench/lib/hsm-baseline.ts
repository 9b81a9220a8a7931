/**
 * The raw HSM rates of this machine, measured in the same run as a benchmark so that it can state its own rate as
 * a share of them (issuance per second / signatures per second). Also measures `openssl speed` for
 * brainpoolP256r1, the machine's ceiling for those signatures.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { Pkcs11KeyManager, type HsmConfig, type KeyManager } from '../../libs/hsm/src/index';
import { createTestToken, testHsmConfig, type TestToken } from '../../test/support/softhsm';
import { opensslSpeed, type OpensslSpeed } from './openssl-speed';
import { measureRate, type Rate } from './rate';

/** The bar: bp256 signing through all workers reaches this share of `openssl speed -multi <cores>`. */
export const REQUIRED_SHARE_OF_OPENSSL = 0.85;

export interface HsmBaselineOptions {
  /** Length of each measurement (default 3000 ms). */
  durationMs?: number;
  /** Workers for the "N workers" figures (default os.availableParallelism()). */
  workers?: number;
  /** The N-worker bp256 figure and openssl speed are measured alternately this many times (default 2). */
  rounds?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface MeasuredRate extends Rate {
  label: string;
}

export interface HsmBaseline {
  measuredAt: string;
  machine: { cores: number; cpu: string; node: string; nodeOpenssl: string };
  durationMs: number;
  workers: number;
  rates: {
    bp256Sign1Worker: MeasuredRate;
    bp256SignAllWorkers: MeasuredRate;
    bp384Sign1Worker: MeasuredRate;
    bp384SignAllWorkers: MeasuredRate;
    bp256Verify: MeasuredRate;
    aesWrap: MeasuredRate;
    aesUnwrapAndUse: MeasuredRate;
    aesGenerateWrapped: MeasuredRate;
  };
  openssl: OpensslSpeed & { rounds: number };
  /** rates.bp256SignAllWorkers / openssl sign/s. */
  bp256ShareOfOpenssl: number;
  requiredShare: number;
  meetsRequirement: boolean;
}

const KEYS = { bp256: 'bench-bp256', bp384: 'bench-bp384', kek: 'bench-kek', working: 'bench-working' };

function config(token: TestToken, workers: number): HsmConfig {
  return testHsmConfig(token, { workers, callTimeoutMs: 10_000 });
}

/** Enough callers to keep every worker's pipeline full. */
function concurrencyFor(workers: number): number {
  return Math.max(64, workers * 64);
}

async function withManager<T>(token: TestToken, workers: number, use: (km: KeyManager) => Promise<T>): Promise<T> {
  const km = await Pkcs11KeyManager.open(config(token, workers));
  try {
    return await use(km);
  } finally {
    await km.close();
  }
}

function uri(token: TestToken, object: string): string {
  return `pkcs11:token=${token.label};object=${object}`;
}

async function signRate(km: KeyManager, keyUri: string, workers: number, durationMs: number, label: string): Promise<MeasuredRate> {
  const signer = await km.createSigner(keyUri);
  const data = randomBytes(200);
  const rate = await measureRate(() => signer.sign(data), { durationMs, concurrency: concurrencyFor(workers), warmupMs: 300 });
  return { label, ...rate };
}

function sum(rates: Rate[], label: string): MeasuredRate {
  const operations = rates.reduce((total, rate) => total + rate.operations, 0);
  const seconds = rates.reduce((total, rate) => total + rate.seconds, 0);
  return { label, operations, seconds, perSecond: operations / seconds };
}

export async function measureHsmBaseline(options: HsmBaselineOptions = {}): Promise<HsmBaseline> {
  const durationMs = options.durationMs ?? 3000;
  const workers = options.workers ?? availableParallelism();
  const rounds = options.rounds ?? 2;
  const log = options.log ?? (() => undefined);
  const token = createTestToken('smpki-bench', '1234', '123456');
  try {
    const n = `${workers} workers`;
    // Keys, and the single-worker figures.
    const single = await withManager(token, 1, async (km) => {
      await km.createEcKeyPair(uri(token, KEYS.bp256), 'brainpoolP256r1');
      await km.createEcKeyPair(uri(token, KEYS.bp384), 'brainpoolP384r1');
      await km.createAesKey(uri(token, KEYS.kek), { bits: 256, usages: ['wrap', 'unwrap'] });
      await km.createAesKey(uri(token, KEYS.working), { bits: 128, usages: ['encrypt'], wrappable: true });
      log('measuring brainpoolP256r1 / brainpoolP384r1 signing with 1 worker');
      return {
        bp256: await signRate(km, uri(token, KEYS.bp256), 1, durationMs, 'brainpoolP256r1 sign, 1 worker'),
        bp384: await signRate(km, uri(token, KEYS.bp384), 1, durationMs, 'brainpoolP384r1 sign, 1 worker'),
      };
    });

    return await withManager(token, workers, async (km) => {
      // Alternating with openssl speed, so that both see the same machine (shared CPUs drift over seconds).
      const ours: Rate[] = [];
      const reference: OpensslSpeed[] = [];
      for (let round = 1; round <= rounds; round++) {
        log(`round ${round}/${rounds}: openssl speed -multi ${workers} ecdsabrp256r1, then brainpoolP256r1 signing with ${n}`);
        reference.push(await opensslSpeed('ecdsabrp256r1', Math.max(1, Math.round(durationMs / 1000)), workers));
        ours.push(await signRate(km, uri(token, KEYS.bp256), workers, durationMs, ''));
      }
      const bp256All = sum(ours, `brainpoolP256r1 sign, ${n}`);
      const openssl = {
        command: reference[0]!.command,
        signPerSecond: reference.reduce((total, r) => total + r.signPerSecond, 0) / rounds,
        verifyPerSecond: reference.reduce((total, r) => total + r.verifyPerSecond, 0) / rounds,
        rounds,
      };

      log(`measuring brainpoolP384r1 signing with ${n}, verification and AES key wrapping`);
      const bp384All = await signRate(km, uri(token, KEYS.bp384), workers, durationMs, `brainpoolP384r1 sign, ${n}`);
      const publicKey = await km.getPublicKey(uri(token, KEYS.bp256));
      const data = randomBytes(200);
      const signature = await (await km.createSigner(uri(token, KEYS.bp256))).sign(data);
      const concurrency = concurrencyFor(workers);
      const verify = await measureRate(() => km.verify(publicKey.spki, data, signature), { durationMs, concurrency, warmupMs: 300 });
      const kek = uri(token, KEYS.kek);
      const wrap = await measureRate(() => km.wrapKey(kek, uri(token, KEYS.working)), { durationMs, concurrency, warmupMs: 300 });
      const wrapped = await km.generateWrappedAesKey(kek, 128);
      const block = randomBytes(16);
      const unwrap = await measureRate(() => km.aesEcbEncryptBlock(wrapped, block), { durationMs, concurrency, warmupMs: 300 });
      const generate = await measureRate(() => km.generateWrappedAesKey(kek, 128), { durationMs, concurrency, warmupMs: 300 });

      const share = bp256All.perSecond / openssl.signPerSecond;
      return {
        measuredAt: new Date().toISOString(),
        machine: { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, nodeOpenssl: process.versions.openssl },
        durationMs,
        workers,
        rates: {
          bp256Sign1Worker: single.bp256,
          bp256SignAllWorkers: bp256All,
          bp384Sign1Worker: single.bp384,
          bp384SignAllWorkers: bp384All,
          bp256Verify: { label: 'brainpoolP256r1 verify (node:crypto)', ...verify },
          aesWrap: { label: 'AES-128 key wrap under AES-256 (RFC 3394)', ...wrap },
          aesUnwrapAndUse: { label: 'unwrap AES-128 + 1 ECB block + destroy', ...unwrap },
          aesGenerateWrapped: { label: 'generate AES-128 + wrap + destroy', ...generate },
        },
        openssl,
        bp256ShareOfOpenssl: share,
        requiredShare: REQUIRED_SHARE_OF_OPENSSL,
        meetsRequirement: share >= REQUIRED_SHARE_OF_OPENSSL,
      };
    });
  } finally {
    token.remove();
  }
}
