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
import { AuthSettings, TokenService } from '@smpki/auth';
import { Pkcs11KeyManager, type Curve, type KeyManager } from '@smpki/hsm';
import { DEFAULT_ACCESS_RULES, type Role } from '@smpki/policy';
import { issueRoot, issueSubCa, subCaName, type IssuedTestCertificate } from '../../test/crypto/support/test-pki';
import { createTestToken, testHsmConfig, type TestToken } from '../../test/support/softhsm';

export const CALIBRATION_CA = 'calibration';
export const MARKET_CA = 'market';
const TOKEN_KEY = 'auth-token';
/** The service's default SMPKI_AUTH_ISSUER / SMPKI_AUTH_AUDIENCE. */
const TOKEN_ISSUER = 'smpki';
const TOKEN_AUDIENCE = 'smpki';
/** The service default SMPKI_AUTH_TOKEN_TTL_SECONDS: a longer-lived token is refused. Onboarding is done within it. */
const TOKEN_TTL_SECONDS = 900;

export interface ServerTls {
  certFile: string;
  keyFile: string;
  /** Verifies the sub-CA's server certificate (the client's --ca). */
  caFile: string;
  /** SMPKI_TLS_CLIENT_CA_FILE: the market CA and the root. */
  clientCaFile: string;
}

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

const uri = (token: TestToken, object: string): string => `pkcs11:token=${token.label};object=${object}`;

/** Creates keys and certificates, then closes its key manager so that the service is the token's only user. */
export async function createCalibrationPki(dir: string, label = 'smpki-calibration'): Promise<CalibrationPki> {
  const token = createTestToken(label, '1234', '123456');
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1, callTimeoutMs: 10_000 }));
  try {
    const signer = async (object: string, curve: Curve) => {
      await km.createEcKeyPair(uri(token, object), curve);
      return km.createSigner(uri(token, object));
    };
    const root = await issueRoot(await signer('root', 'brainpoolP384r1'));
    const calibration = await issueSubCa(root, await signer('calibration-ca', 'brainpoolP256r1'), { name: subCaName('SM-Test-Calibration.CA') });
    const market = await issueSubCa(root, await signer('market-ca', 'brainpoolP256r1'), { name: subCaName('SM-Test-Market.CA') });
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'calibration.pem'), calibration.pem);
    writeFileSync(join(dir, 'market.pem'), market.pem);
    const caConfigPath = join(dir, 'cas.json');
    writeFileSync(
      caConfigPath,
      JSON.stringify({ cas: [caEntry(CALIBRATION_CA, uri(token, 'calibration-ca'), ['meter-calibration']), caEntry(MARKET_CA, uri(token, 'market-ca'), ['sm-user-tls'])] }),
    );
    const adminToken = await issueToken(km, token, ['administrator'], 'calibration-admin');
    const tls = createServerTls(dir, [market.pem, root.pem]);
    return { token, dir, caConfigPath, tokenKeyUri: uri(token, TOKEN_KEY), root, calibration, market, rootFile: join(dir, 'root.pem'), tls, adminToken, remove: () => token.remove() };
  } catch (error) {
    token.remove();
    throw error;
  } finally {
    await km.close();
  }
}

async function issueToken(km: KeyManager, token: TestToken, roles: Role[], subject: string): Promise<string> {
  await km.createEcKeyPair(uri(token, TOKEN_KEY), 'P-256');
  const tokens = new TokenService(
    new AuthSettings({
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      tokenTtlSeconds: TOKEN_TTL_SECONDS,
      tokenSigner: await km.createSigner(uri(token, TOKEN_KEY)),
      verificationKeys: [],
      accessRules: DEFAULT_ACCESS_RULES,
      eventSink: { record: () => undefined },
    }),
  );
  return (await tokens.issue({ subject, roles }, TOKEN_TTL_SECONDS)).accessToken;
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

function caEntry(name: string, keyUri: string, profiles: string[]): object {
  return {
    name,
    keyUri,
    certificateFile: `${name}.pem`,
    chainFile: 'root.pem',
    profiles,
    crlDistributionPoints: {
      ldap: `ldap://ldap.calibration.invalid/CN=${name},O=SM-Test-PKI-DE,C=DE?certificateRevocationList`,
      http: `http://crl.calibration.invalid/${name}.crl`,
    },
    aiaUrl: `http://pki.calibration.invalid/${name}.cer`,
    crlValidityHours: 24,
  };
}
