/**
 * The hierarchy the issuance benchmark runs against (bench/lib/bench-hierarchy.ts): a fresh SoftHSM2 token holding a
 * root key (brainpoolP384r1), a sub-CA key (brainpoolP256r1) and the P-256 key that signs access tokens; the two CA
 * certificates; the SMPKI_CA_CONFIG file that makes the sub-CA key the CA instance `bench`; and a ca-operator token.
 */
import type { IssuedTestCertificate } from '../../test/crypto/support/test-pki';
import type { TestToken } from '../../test/support/softhsm';
import { createBenchHierarchy } from '../lib/bench-hierarchy';

export const BENCH_CA = 'bench';
export const BENCH_PROFILE = 'sm-user-tls';

export interface BenchPki {
  token: TestToken;
  /** Directory of cas.json, sub.pem and root.pem. */
  dir: string;
  caConfigPath: string;
  tokenKeyUri: string;
  root: IssuedTestCertificate;
  sub: IssuedTestCertificate;
  /** Bearer token of a ca-operator, valid for the service's default token lifetime (15 minutes). */
  accessToken: string;
  /** Removes the token directory (the service using it must be stopped first). */
  remove(): void;
}

export async function createBenchPki(dir: string): Promise<BenchPki> {
  const hierarchy = await createBenchHierarchy({
    dir,
    tokenLabel: 'smpki-issuance',
    urlDomain: 'bench',
    subCas: [{ name: BENCH_CA, keyObject: 'bench-ca', certificateFile: 'sub.pem', profiles: [BENCH_PROFILE], commonName: 'Test-Metering.CA' }],
    bearer: { subject: 'bench-operator', roles: ['ca-operator'] },
  });
  const { token, caConfigPath, tokenKeyUri, root, bearerToken, remove } = hierarchy;
  return { token, dir, caConfigPath, tokenKeyUri, root, sub: hierarchy.subCas.get(BENCH_CA)!, accessToken: bearerToken, remove };
}
