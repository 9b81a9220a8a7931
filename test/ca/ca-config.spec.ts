/** The CRL settings of SMPKI_CA_CONFIG: defaults, and a bad value named in one configuration line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCaConfig } from '@smpki/ca';
import { ConfigurationError } from '@smpki/platform';
import { issueRoot } from '../crypto/support/test-pki';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';

describe('SMPKI_CA_CONFIG CRL settings', () => {
  let hsm: TestKeyManager;
  let dir: string;
  const entry = (extra: object) => JSON.stringify({
    cas: [{ name: 'market', keyUri: 'pkcs11:object=market', certificateFile: 'ca.pem', profiles: ['sm-user-tls'], crlDistributionPoints: { http: 'http://crl.test.invalid/m.crl' }, crlValidityHours: 24, ...extra }],
  });

  beforeAll(async () => {
    hsm = await openTestKeyManager();
    await hsm.km.createEcKeyPair(hsm.uri('root'), 'brainpoolP256r1');
    dir = mkdtempSync(join(tmpdir(), 'smpki-ca-config-'));
    writeFileSync(join(dir, 'ca.pem'), (await issueRoot(await hsm.km.createSigner(hsm.uri('root')))).pem);
  }, 30_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await hsm?.dispose();
  });

  it('defaults: delta CRLs valid 1 hour, re-issue 60 minutes before nextUpdate, no CRL on revocation', () => {
    expect(parseCaConfig(entry({}), dir)[0]).toMatchObject({ deltaCrlValidityHours: 1, crlReissueMarginMinutes: 60, crlOnRevocation: false });
    expect(parseCaConfig(entry({ deltaCrlValidityHours: 4, crlReissueMarginMinutes: 30, crlOnRevocation: true }), dir)[0])
      .toMatchObject({ deltaCrlValidityHours: 4, crlReissueMarginMinutes: 30, crlOnRevocation: true });
  });

  it.each([
    [{ deltaCrlValidityHours: 25 }, /cas\.0\.deltaCrlValidityHours must not exceed crlValidityHours/],
    [{ crlReissueMarginMinutes: 24 * 60 }, /cas\.0\.crlReissueMarginMinutes must be shorter than crlValidityHours/],
    [{ crlOnRevocation: 'yes' }, /cas\.0\.crlOnRevocation/],
  ])('refuses %j naming the setting', (extra, message) => {
    expect(() => parseCaConfig(entry(extra), dir)).toThrow(ConfigurationError);
    expect(() => parseCaConfig(entry(extra), dir)).toThrow(message);
  });
});
