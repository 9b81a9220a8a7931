/**
 * The hierarchy the calibration benchmark and the production-line test run against, laid out like the embedded
 * default: a fresh SoftHSM2 token with a root (brainpoolP384r1), the `calibration` CA (profile meter-calibration)
 * and the `market` CA (sm-user-tls: the manufacturers' TLS client certificates), both brainpoolP256r1, and the
 * P-256 key that signs access tokens; an administrator token for onboarding manufacturers; and the sub-CA's TLS
 * listener: a server certificate from a throwaway openssl CA (P-256, software key file of mode 0600: Node's TLS
 * cannot use a key in the HSM) and the client CA bundle (market CA + root) that verifies manufacturers.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssuedTestCertificate } from '../../test/crypto/support/test-pki';
import type { TestToken } from '../../test/support/softhsm';
import { createBenchHierarchy } from '../lib/bench-hierarchy';
import type { SubCaTls } from '../lib/sub-ca-process';

export const CALIBRATION_CA = 'calibration';
export const MARKET_CA = 'market';

/** The sub-CA's HTTPS listener; clientCaFile holds the market CA and the root. */
export type ServerTls = SubCaTls;

export interface CalibrationPki {
  token: TestToken;
  dir: string;
  caConfigPath: string;
  tokenKeyUri: string;
  root: IssuedTestCertificate;
  calibration: IssuedTestCertificate;
  market: IssuedTestCertificate;
  /** root.pem: the trust anchor `openssl verify` checks meter certificates against. */
  rootFile: string;
  tls: ServerTls;
  /** Bearer token of an administrator, valid for 15 minutes. */
  adminToken: string;
  remove(): void;
}

/** The shared hierarchy (bench/lib/bench-hierarchy.ts) with the two CAs, then the TLS listener's files. */
export async function createCalibrationPki(dir: string, label = 'smpki-calibration'): Promise<CalibrationPki> {
  const hierarchy = await createBenchHierarchy({
    dir,
    tokenLabel: label,
    urlDomain: 'calibration',
    subCas: [
      { name: CALIBRATION_CA, keyObject: 'calibration-ca', certificateFile: 'calibration.pem', profiles: ['meter-calibration'], commonName: 'SM-Test-Calibration.CA', ldapCommonName: CALIBRATION_CA },
      { name: MARKET_CA, keyObject: 'market-ca', certificateFile: 'market.pem', profiles: ['sm-user-tls'], commonName: 'SM-Test-Market.CA', ldapCommonName: MARKET_CA },
    ],
    bearer: { subject: 'calibration-admin', roles: ['administrator'] },
  });
  try {
    const { token, caConfigPath, tokenKeyUri, root, rootFile, bearerToken, remove } = hierarchy;
    const [calibration, market] = [hierarchy.subCas.get(CALIBRATION_CA)!, hierarchy.subCas.get(MARKET_CA)!];
    const tls = createServerTls(dir, [market.pem, root.pem]);
    return { token, dir, caConfigPath, tokenKeyUri, root, calibration, market, rootFile, tls, adminToken: bearerToken, remove };
  } catch (error) {
    hierarchy.remove();
    throw error;
  }
}

/** A throwaway P-256 TLS CA and a server certificate for 127.0.0.1 / localhost, made with openssl. */
function createServerTls(dir: string, clientCas: string[]): ServerTls {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('tls-ca.key'), '-out', file('tls-ca.pem'), '-days', '2', '-subj', '/CN=smpki test TLS CA');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('tls-server.key'), '-out', file('tls-server.csr'), '-subj', '/CN=localhost');
  writeFileSync(file('tls-server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', file('tls-server.csr'), '-CA', file('tls-ca.pem'), '-CAkey', file('tls-ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('tls-server.ext'), '-out', file('tls-server.pem'));
  chmodSync(file('tls-server.key'), 0o600);
  writeFileSync(file('client-cas.pem'), clientCas.join(''));
  return { certFile: file('tls-server.pem'), keyFile: file('tls-server.key'), caFile: file('tls-ca.pem'), clientCaFile: file('client-cas.pem') };
}
