/**
 * bench/encoding/issuance-check: the cost of the pre-issuance check (`checkIssuanceRequest` of @smpki/policy),
 * which runs for every certificate a CA issues and so has to stay far below a signature (target < ~120 µs).
 * The candidate is the real SM-PKI signature certificate renewcert0.der taken apart the way the CA passes it
 * (subject DER, SPKI, extensions, validity, serial), checked against its real sub-CA (renewcert1.der, read once
 * as facts, as the CA does); also the TBSCertificate form. One thread; median of several rounds.
 *
 *   node --require ./libs/persistence/src/tools/typescript-hooks.cjs bench/encoding/issuance-check.ts [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate } from '@smpki/crypto';
import { checkIssuanceRequest, readCertificateFacts, type IssuanceCandidate } from '@smpki/policy';

const REAL = join(__dirname, '../../../shared/testdata/sm-pki-real');
const ROUNDS = 7;
const CALLS_PER_ROUND = 5_000;

export interface IssuanceCheckFigures {
  /** µs per checkIssuanceRequest with an IssuanceCandidate (the CA's path). */
  candidateUs: number;
  /** µs per checkIssuanceRequest with the TBSCertificate DER. */
  tbsUs: number;
}

function medianMicroseconds(run: () => unknown): number {
  for (let i = 0; i < CALLS_PER_ROUND; i++) run(); // warm-up: let the JIT settle
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < CALLS_PER_ROUND; i++) run();
    rounds.push(((performance.now() - start) * 1000) / CALLS_PER_ROUND);
  }
  return rounds.sort((a, b) => a - b)[ROUNDS >> 1]!;
}

export function measureIssuanceCheck(realDirectory = REAL): IssuanceCheckFigures {
  const certificate = parseCertificate(readFileSync(join(realDirectory, 'renewcert0.der')));
  const issuer = readCertificateFacts(readFileSync(join(realDirectory, 'renewcert1.der')));
  const candidate: IssuanceCandidate = {
    subject: certificate.subject.der,
    subjectPublicKeyInfo: certificate.subjectPublicKeyInfo,
    validity: { notBefore: certificate.notBefore, notAfter: certificate.notAfter },
    serialNumber: certificate.serialNumber,
    signatureHash: certificate.signatureAlgorithm.hash,
    extensions: certificate.extensions.map(({ oid, critical, value }) => ({ oid, critical, value })),
  };
  const options = { profile: 'sm-user-sig', issuer };
  // A benchmark of a check that fails early would measure the wrong thing.
  for (const result of [checkIssuanceRequest(candidate, options), checkIssuanceRequest({ tbsCertificate: certificate.tbs }, options)]) {
    if (!result.ok) throw new Error(`the benchmark candidate does not pass: ${JSON.stringify(result.findings)}`);
  }
  return {
    candidateUs: medianMicroseconds(() => checkIssuanceRequest(candidate, options)),
    tbsUs: medianMicroseconds(() => checkIssuanceRequest({ tbsCertificate: certificate.tbs }, options)),
  };
}

export function formatIssuanceCheck(figures: IssuanceCheckFigures): string {
  return [
    `  checkIssuanceRequest candidate ${figures.candidateUs.toFixed(1)} µs`,
    `  checkIssuanceRequest TBS       ${figures.tbsUs.toFixed(1)} µs`,
  ].join('\n');
}

if (require.main === module) {
  const figures = measureIssuanceCheck();
  process.stdout.write(
    process.argv.includes('--json')
      ? `${JSON.stringify(figures)}\n`
      : `bench/encoding/issuance-check: real sm-user-sig candidate, one thread, Node ${process.version}\n${formatIssuanceCheck(figures)}\n`,
  );
}
