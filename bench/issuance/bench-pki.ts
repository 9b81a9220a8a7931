/**
 * The hierarchy the issuance benchmark runs against: a fresh SoftHSM2 token holding a root key (brainpoolP384r1), a
 * sub-CA key (brainpoolP256r1) and the P-256 key that signs access tokens; the two CA certificates; the
 * SMPKI_CA_CONFIG file that makes the sub-CA key the CA instance `bench`; and a ca-operator access token.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthSettings, TokenService } from '@smpki/auth';
import { Pkcs11KeyManager, type Curve } from '@smpki/hsm';
import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import { issueRoot, issueSubCa, type IssuedTestCertificate } from '../../test/crypto/support/test-pki';
import { createTestToken, testHsmConfig, type TestToken } from '../../test/support/softhsm';

export const BENCH_CA = 'bench';
export const BENCH_PROFILE = 'sm-user-tls';
const TOKEN_KEY = 'auth-token';
/** The service's default SMPKI_AUTH_ISSUER / SMPKI_AUTH_AUDIENCE / SMPKI_AUTH_TOKEN_TTL_SECONDS. */
const TOKEN_ISSUER = 'smpki';
const TOKEN_AUDIENCE = 'smpki';
const TOKEN_TTL_SECONDS = 900;

export interface BenchPki {
  token: TestToken;
  /** Directory of cas.json, sub.pem and root.pem. */
  dir: string;
  caConfigPath: string;
  tokenKeyUri: string;
  root: IssuedTestCertificate;
  sub: IssuedTestCertificate;
  /** Bearer token of a ca-operator, valid for {@link TOKEN_TTL_SECONDS}. */
  accessToken: string;
  /** Removes the token directory (the service using it must be stopped first). */
  remove(): void;
}

function uri(token: TestToken, object: string): string {
  return `pkcs11:token=${token.label};object=${object}`;
}

/** Creates the keys and certificates, then closes its key manager so that the service is the token's only user. */
export async function createBenchPki(dir: string): Promise<BenchPki> {
  const token = createTestToken('smpki-issuance', '1234', '123456');
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1, callTimeoutMs: 10_000 }));
  try {
    const signer = async (object: string, curve: Curve) => {
      await km.createEcKeyPair(uri(token, object), curve);
      return km.createSigner(uri(token, object));
    };
    const root = await issueRoot(await signer('root', 'brainpoolP384r1'));
    const sub = await issueSubCa(root, await signer('bench-ca', 'brainpoolP256r1'));
    const tokenSigner = await signer(TOKEN_KEY, 'P-256');
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'sub.pem'), sub.pem);
    const caConfigPath = join(dir, 'cas.json');
    writeFileSync(caConfigPath, JSON.stringify({ cas: [caEntry(uri(token, 'bench-ca'))] }));
    const tokens = new TokenService(
      new AuthSettings({
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        tokenTtlSeconds: TOKEN_TTL_SECONDS,
        tokenSigner,
        verificationKeys: [],
        accessRules: DEFAULT_ACCESS_RULES,
        eventSink: { record: () => undefined },
      }),
    );
    const { accessToken } = await tokens.issue({ subject: 'bench-operator', roles: ['ca-operator'] });
    return { token, dir, caConfigPath, tokenKeyUri: uri(token, TOKEN_KEY), root, sub, accessToken, remove: () => token.remove() };
  } catch (error) {
    token.remove();
    throw error;
  } finally {
    await km.close();
  }
}

function caEntry(keyUri: string): object {
  return {
    name: BENCH_CA,
    keyUri,
    certificateFile: 'sub.pem',
    chainFile: 'root.pem',
    profiles: [BENCH_PROFILE],
    crlDistributionPoints: {
      ldap: 'ldap://ldap.bench.invalid/CN=Test-Metering.CA,O=SM-Test-PKI-DE,C=DE?certificateRevocationList',
      http: 'http://crl.bench.invalid/bench.crl',
    },
    aiaUrl: 'http://pki.bench.invalid/bench.cer',
    crlValidityHours: 24,
  };
}
