/**
 * Child process of bench/crl's service stage (service-stage.ts): opens the sub-CA as the service does (SoftHSM2
 * key manager, PostgreSQL DataSource, CaRegistry, audit trail) and times one CrlPublisher.issueCrl, which pages
 * the revoked rows out of ca_certificate, streams them into the encoder, signs with the HSM key and stores the CRL
 * in ca_crl. Runs alone so its peak memory is the service path's, not the driver's (which holds 1,000,000 serials).
 * Writes the CRL to <out-dir>/service.crl and prints one JSON line (ServiceCrlRun).
 *
 *   node --require ./libs/persistence/src/tools/typescript-hooks.cjs bench/crl/service-crl.ts '<ServiceCrlInput JSON>'
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuditTrail } from '@smpki/audit';
import { CaRegistry, CrlPublisher, parseCaConfig } from '@smpki/ca';
import { Pkcs11KeyManager } from '@smpki/hsm';
import { openDatabase } from '@smpki/persistence';
import { BENCH_CA } from '../issuance/bench-pki';
import { measureRun } from '../lib/peak-memory';

export interface ServiceCrlInput {
  databaseUrl: string;
  /** The bench token (test/support/softhsm's TestToken without its methods). */
  token: { modulePath: string; label: string; userPin: string; configPath: string };
  caConfigPath: string;
  outDir: string;
}

export interface ServiceCrlRun {
  seconds: number;
  maxRssMb: number;
  sampledPeakRssMb: number;
  rssBeforeMb: number;
  crlId: string;
  crlNumber: number;
  bytes: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as ServiceCrlInput;
  const { token } = input;
  const km = await Pkcs11KeyManager.open({
    modulePath: token.modulePath,
    tokenLabel: token.label,
    pin: token.userPin,
    workers: 2,
    callTimeoutMs: 10_000,
    moduleEnvironment: { SOFTHSM2_CONF: token.configPath },
  });
  const dataSource = await openDatabase({ type: 'postgres', url: input.databaseUrl });
  try {
    const configs = parseCaConfig(readFileSync(input.caConfigPath, 'utf8'), dirname(input.caConfigPath));
    const registry = await CaRegistry.open(configs, km, dataSource);
    const publisher = new CrlPublisher(registry, dataSource, new AuditTrail(dataSource, { service: 'sub-ca' }));
    const run = await measureRun(() => publisher.issueCrl(BENCH_CA, 'CN=bench-operator'));
    const crl = run.value;
    writeFileSync(join(input.outDir, 'service.crl'), crl.der);
    const result: ServiceCrlRun = {
      seconds: run.seconds,
      maxRssMb: run.maxRssMb,
      sampledPeakRssMb: run.sampledPeakRssMb,
      rssBeforeMb: run.rssBeforeMb,
      crlId: crl.id,
      crlNumber: crl.crlNumber,
      bytes: crl.der.length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await dataSource.destroy();
    await km.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
