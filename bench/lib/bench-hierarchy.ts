/**
 * The common part of a benchmark's hierarchy: a fresh SoftHSM2 token with a root (brainpoolP384r1), brainpoolP256r1
 * sub-CAs written to an SMPKI_CA_CONFIG file (cas.json, certificates next to it), the P-256 key that signs access
 * tokens and one bearer token signed with it. Each benchmark says which CAs and which roles it needs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthSettings, TokenService } from '@smpki/auth';
import { Pkcs11KeyManager, type Curve, type KeyManager } from '@smpki/hsm';
import { DEFAULT_ACCESS_RULES, type Role } from '@smpki/policy';
import { issueRoot, issueSubCa, subCaName, type IssuedTestCertificate } from '../../test/crypto/support/test-pki';
import { createTestToken, testHsmConfig, type TestToken } from '../../test/support/softhsm';

const TOKEN_KEY = 'auth-token';
/** The service's default SMPKI_AUTH_ISSUER / SMPKI_AUTH_AUDIENCE / SMPKI_AUTH_TOKEN_TTL_SECONDS. */
const TOKEN_ISSUER = 'smpki';
const TOKEN_AUDIENCE = 'smpki';
const TOKEN_TTL_SECONDS = 900;

export interface SubCaSpec {
  /** The CA instance name in cas.json. */
  name: string;
  /** The key's object label on the token. */
  keyObject: string;
  /** The certificate's file next to cas.json. */
  certificateFile: string;
  profiles: string[];
  /** CN of the certificate's subject. */
  commonName: string;
  /** CN in the LDAP CRL distribution point (default: commonName). */
  ldapCommonName?: string;
}

export interface BenchHierarchyOptions {
  dir: string;
  tokenLabel: string;
  /** Host part of the CRL and AIA URLs: `<kind>.<urlDomain>.invalid`. */
  urlDomain: string;
  subCas: SubCaSpec[];
  /** Who the bearer token is for. */
  bearer: { subject: string; roles: Role[] };
}

export interface BenchHierarchy {
  token: TestToken;
  /** Directory of cas.json, root.pem and the sub-CA certificates. */
  dir: string;
  caConfigPath: string;
  tokenKeyUri: string;
  root: IssuedTestCertificate;
  /** root.pem: the trust anchor `openssl verify` checks issued certificates against. */
  rootFile: string;
  /** The sub-CA certificates by CA name. */
  subCas: Map<string, IssuedTestCertificate>;
  /** Valid for the service's default token lifetime (15 minutes). */
  bearerToken: string;
  /** Removes the token directory (the service using it must be stopped first). */
  remove(): void;
}

const uri = (token: TestToken, object: string): string => `pkcs11:token=${token.label};object=${object}`;

/** Creates keys and certificates, then closes its key manager so that the service is the token's only user. */
export async function createBenchHierarchy(options: BenchHierarchyOptions): Promise<BenchHierarchy> {
  const { dir } = options;
  const token = createTestToken(options.tokenLabel, '1234', '123456');
  const km = await Pkcs11KeyManager.open(testHsmConfig(token, { workers: 1, callTimeoutMs: 10_000 }));
  try {
    const signer = async (object: string, curve: Curve) => {
      await km.createEcKeyPair(uri(token, object), curve);
      return km.createSigner(uri(token, object));
    };
    const root = await issueRoot(await signer('root', 'brainpoolP384r1'));
    writeFileSync(join(dir, 'root.pem'), root.pem);
    const subCas = new Map<string, IssuedTestCertificate>();
    for (const spec of options.subCas) {
      const certificate = await issueSubCa(root, await signer(spec.keyObject, 'brainpoolP256r1'), { name: subCaName(spec.commonName) });
      writeFileSync(join(dir, spec.certificateFile), certificate.pem);
      subCas.set(spec.name, certificate);
    }
    const caConfigPath = join(dir, 'cas.json');
    writeFileSync(caConfigPath, JSON.stringify({ cas: options.subCas.map((spec) => caEntry(spec, uri(token, spec.keyObject), options.urlDomain)) }));
    const bearerToken = await issueBearerToken(km, token, options.bearer);
    return { token, dir, caConfigPath, tokenKeyUri: uri(token, TOKEN_KEY), root, rootFile: join(dir, 'root.pem'), subCas, bearerToken, remove: () => token.remove() };
  } catch (error) {
    token.remove();
    throw error;
  } finally {
    await km.close();
  }
}

async function issueBearerToken(km: KeyManager, token: TestToken, bearer: BenchHierarchyOptions['bearer']): Promise<string> {
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
  return (await tokens.issue(bearer, TOKEN_TTL_SECONDS)).accessToken;
}

function caEntry(spec: SubCaSpec, keyUri: string, urlDomain: string): object {
  return {
    name: spec.name,
    keyUri,
    certificateFile: spec.certificateFile,
    chainFile: 'root.pem',
    profiles: spec.profiles,
    crlDistributionPoints: {
      ldap: `ldap://ldap.${urlDomain}.invalid/CN=${spec.ldapCommonName ?? spec.commonName},O=SM-Test-PKI-DE,C=DE?certificateRevocationList`,
      http: `http://crl.${urlDomain}.invalid/${spec.name}.crl`,
    },
    aiaUrl: `http://pki.${urlDomain}.invalid/${spec.name}.cer`,
    crlValidityHours: 24,
  };
}
