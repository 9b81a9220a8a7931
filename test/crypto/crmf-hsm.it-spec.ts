/**
 * Requests signed inside the HSM (SoftHSM2 token): the proofs of possession of an initial request and the
 * SignedData of a renewal are made by `Signer.sign(..., { format: 'der' })`, as the meter tooling will make them.
 */
import { parseInitialRequest } from '../../libs/crypto/src/crmf/parse-initial-request';
import { parseRenewalRequest } from '../../libs/crypto/src/crmf/parse-renewal-request';
import { encodeInitialRequest, encodeRenewalRequest } from '../../libs/crypto/src/crmf/encode-cert-req-messages';
import { smPkiRequestExtensions } from '../../libs/crypto/src/crmf/sm-pki-request-extensions';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';
import { ext, issueTestCertificate } from '../policy/support/test-certificates';
import { createTestPki, SUB_CA_NAME, USER_NAME } from '../policy/support/test-pki';

let t: TestKeyManager;
beforeAll(async () => {
  t = await openTestKeyManager();
});
afterAll(async () => t?.dispose());

it('an initial request whose three proofs are signed by token keys', async () => {
  const requests = [];
  for (const purpose of ['sig', 'enc', 'tls'] as const) {
    const publicKey = await t.km.createEcKeyPair(t.uri(`request-${purpose}`), 'brainpoolP256r1');
    const signer = await t.km.createSigner(t.uri(`request-${purpose}`));
    requests.push({
      subject: USER_NAME,
      publicKey: publicKey.spki,
      extensions: smPkiRequestExtensions({ purpose, publicKey: publicKey.spki, subjectAltName: { email: ['a@b.example'], uri: ['https://b.example/'], dns: ['b.example'] } }),
      sign: (data: Uint8Array) => signer.sign(data, { hash: 'SHA-256', format: 'der' }),
    });
  }
  const parsed = parseInitialRequest(await encodeInitialRequest(requests));
  expect(parsed.requests.map((request) => [request.purpose, request.publicKey.curve])).toEqual([
    ['sig', 'brainpoolP256r1'],
    ['enc', 'brainpoolP256r1'],
    ['tls', 'brainpoolP256r1'],
  ]);
});

it('a renewal signed by the old signature key held in the token', async () => {
  const pki = createTestPki();
  const oldKey = await t.km.createEcKeyPair(t.uri('old-sig'), 'brainpoolP256r1');
  const oldSigner = await t.km.createSigner(t.uri('old-sig'));
  const oldCertificate = issueTestCertificate({
    subject: USER_NAME,
    issuer: SUB_CA_NAME,
    publicKey: oldKey.spki,
    signingKey: pki.subCa.key,
    hash: 'SHA-256',
    notBefore: new Date('2026-03-01T10:00:00Z'),
    notAfter: new Date('2028-03-01T23:59:59Z'),
    extensions: [ext.authorityKeyIdentifier(pki.subCa.key.spki), ext.subjectKeyIdentifier(oldKey.spki), ext.keyUsage(['digitalSignature']), ext.basicConstraints(false)],
  });
  const newKey = await t.km.createEcKeyPair(t.uri('new-sig'), 'brainpoolP256r1');
  const newSigner = await t.km.createSigner(t.uri('new-sig'));
  const der = await encodeRenewalRequest(
    [{ subject: USER_NAME, publicKey: newKey.spki, extensions: smPkiRequestExtensions({ purpose: 'sig', publicKey: newKey.spki }), sign: (data) => newSigner.sign(data, { format: 'der' }) }],
    { certificate: oldCertificate, chain: [pki.subCa.certificate], sign: (data) => oldSigner.sign(data, { hash: 'SHA-256', format: 'der' }) },
  );
  const renewal = await parseRenewalRequest(der, { now: new Date('2027-06-01T00:00:00Z'), trustedIssuers: [pki.subCa.certificate], signerStatus: () => 'good' });
  expect(renewal.signer.der.equals(oldCertificate)).toBe(true);
  expect(renewal.requests[0]!.publicKey.spki.equals(newKey.spki)).toBe(true);
});
