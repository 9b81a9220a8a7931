/**
 * A root (brainpoolP384r1) and a sub-CA (brainpoolP256r1) whose keys are in a fresh SoftHSM2 token, and the
 * SMPKI_CA_CONFIG file that makes the sub-CA key a CA instance. Shared by the test/ca suites.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaConfig, type CaInstanceConfig } from '@smpki/ca';
import { openTestKeyManager, type TestKeyManager } from '../../hsm/support/test-key-manager';
import { OpensslWorkspace } from '../../crypto/support/openssl';
import { issueRoot, issueSubCa, subCaName, type IssuedTestCertificate } from '../../crypto/support/test-pki';

export const USER_PROFILES = ['sm-user-tls', 'sm-user-sig', 'sm-user-enc'];

export interface CaTestPki {
  hsm: TestKeyManager;
  workspace: OpensslWorkspace;
  root: IssuedTestCertificate;
  sub: IssuedTestCertificate;
  /** Two CA instances: `market` (user profiles, the sub-CA key) and `calibration` (meter profile, its own key). */
  configs: CaInstanceConfig[];
  dispose(): Promise<void>;
}

export async function createCaTestPki(): Promise<CaTestPki> {
  const hsm = await openTestKeyManager();
  const workspace = new OpensslWorkspace();
  const signer = async (object: string, curve: 'brainpoolP256r1' | 'brainpoolP384r1') => {
    await hsm.km.createEcKeyPair(hsm.uri(object), curve);
    return hsm.km.createSigner(hsm.uri(object));
  };
  const root = await issueRoot(await signer('root', 'brainpoolP384r1'));
  const sub = await issueSubCa(root, await signer('market-ca', 'brainpoolP256r1'));
  const calibration = await issueSubCa(root, await signer('calibration-ca', 'brainpoolP256r1'), { name: subCaName('Test-Calibration.CA') });
  workspace.write('root.pem', root.pem);
  workspace.write('sub.pem', sub.pem);
  workspace.write('calibration.pem', calibration.pem);
  const file = {
    cas: [
      {
        name: 'market',
        keyUri: hsm.uri('market-ca'),
        certificateFile: 'sub.pem',
        chainFile: 'root.pem',
        profiles: USER_PROFILES,
        crlDistributionPoints: {
          ldap: 'ldap://ldap.test.invalid/CN=Test-Metering.CA,O=SM-Test-PKI-DE,C=DE?certificateRevocationList',
          http: 'http://crl.test.invalid/market.crl',
        },
        aiaUrl: 'http://pki.test.invalid/market.cer',
        crlValidityHours: 24,
        deltaCrlValidityHours: 2,
        crlOnRevocation: true,
      },
      {
        name: 'calibration',
        keyUri: hsm.uri('calibration-ca'),
        certificateFile: 'calibration.pem',
        chainFile: 'root.pem',
        profiles: ['meter-calibration'],
        crlDistributionPoints: { http: 'http://crl.test.invalid/calibration.crl' },
        crlValidityHours: 168,
        crlReissueMarginMinutes: 120,
      },
    ],
  };
  writeFileSync(join(workspace.dir, 'cas.json'), JSON.stringify(file));
  return {
    hsm,
    workspace,
    root,
    sub,
    configs: parseCaConfig(JSON.stringify(file), workspace.dir),
    dispose: async () => {
      await hsm.dispose();
      workspace.remove();
    },
  };
}

export interface OpensslRequestOptions {
  /** `ecparam` curve name, or `rsa` for an RSA key. */
  curve?: string;
  explicitParameters?: boolean;
  subject?: string;
  /** `-addext` values; default: a subjectAltName with e-mail, URI and DNS name. */
  extensions?: string[];
}

/** A PKCS#10 request made by `openssl req` (DER), with a fresh software key. */
export function opensslRequest(workspace: OpensslWorkspace, name: string, options: OpensslRequestOptions = {}): Buffer {
  const key = `${name}.key`;
  if (options.curve === 'rsa') {
    workspace.runBinary(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key]);
  } else {
    workspace.runBinary([
      'ecparam', '-name', options.curve ?? 'brainpoolP256r1', '-genkey', '-noout', '-out', key,
      ...(options.explicitParameters ? ['-param_enc', 'explicit'] : []),
    ]);
  }
  const extensions = options.extensions ?? ['subjectAltName=email:maco@company.invalid,URI:https://maco.company.invalid:11111/maco,DNS:maco.company.invalid'];
  return workspace.runBinary([
    'req', '-new', '-key', key, '-outform', 'DER', '-sha256',
    '-subj', options.subject ?? '/CN=Company-Test.EMT.MAK/O=SM-Test-PKI-DE/OU=1234567890120/C=DE/serialNumber=1',
    ...extensions.flatMap((extension) => ['-addext', extension]),
  ]);
}
