/**
 * Child process of bench/crl/main.ts: streams the benchmark list into encodeCrl with a brainpoolP256r1 key in a
 * fresh SoftHSM2 token (the CRL is signed once, through the PKCS#11 key manager) and writes the CRL and the CA
 * certificate that verifies it. Runs alone so its peak memory is the encoder's, not the benchmark driver's.
 * Prints one JSON line: seconds, peak RSS (maxRSS and sampled), entries and bytes.
 *
 *   node --require ./libs/persistence/src/tools/typescript-hooks.cjs bench/crl/encode-crl.ts <entries> <seed> <out-dir>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorityKeyIdentifier, basicConstraints, encodeCrl, issueCertificate, keyUsage, randomSerialNumber, subjectKeyIdentifier, toPem } from '@smpki/crypto';
import { Pkcs11KeyManager } from '@smpki/hsm';
import { createTestToken, testHsmConfig } from '../../test/support/softhsm';
import { measureRun } from '../lib/peak-memory';
import { benchEntryPages } from './revocation-list';

async function main(): Promise<void> {
  const [count, seed, outDir] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]!];
  const token = createTestToken('smpki-bench-crl');
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1, callTimeoutMs: 10_000 }));
  try {
    const uri = `pkcs11:token=${token.label};object=bench-crl-ca`;
    await km.createEcKeyPair(uri, 'brainpoolP256r1');
    const signer = await km.createSigner(uri);
    const name = [{ type: 'CN' as const, value: 'Bench-smpki.CA' }, { type: 'O' as const, value: 'SM-Test-PKI-DE' }, { type: 'C' as const, value: 'DE' }];
    const now = Date.now();
    const ca = await issueCertificate(
      {
        serialNumber: randomSerialNumber(),
        issuer: name,
        subject: name,
        validity: { notBefore: new Date(now - 3_600_000), notAfter: new Date(now + 30 * 86_400_000) },
        subjectPublicKeyInfo: signer.publicKey.spki,
        extensions: [subjectKeyIdentifier({ spki: signer.publicKey.spki }), authorityKeyIdentifier({ spki: signer.publicKey.spki }), keyUsage(['keyCertSign', 'cRLSign']), basicConstraints({ ca: true })],
      },
      signer,
    );
    writeFileSync(join(outDir, 'smpki-ca.pem'), toPem(ca, 'CERTIFICATE'));

    const run = await measureRun(() =>
      encodeCrl({ issuer: name, thisUpdate: new Date(now), nextUpdate: new Date(now + 7 * 86_400_000), crlNumber: 1 }, benchEntryPages(count, seed), signer),
    );
    const { der, entryCount } = run.value;
    writeFileSync(join(outDir, 'smpki.crl'), der);
    const result = {
      seconds: run.seconds,
      maxRssMb: run.maxRssMb,
      sampledPeakRssMb: run.sampledPeakRssMb,
      rssBeforeMb: run.rssBeforeMb,
      entries: entryCount,
      bytes: der.length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await km.close();
    token.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
