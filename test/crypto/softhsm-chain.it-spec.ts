/**
 * The real path: CA keys generated in SoftHSM2 (never extractable), certificates and CRLs signed through the
 * PKCS#11 key manager's Signer, the results checked by OpenSSL. No software keys except the openssl oracle.
 */
import { createCertificationRequest, encodeCrl, parseCertificationRequest, parseCrl, toPem } from '@smpki/crypto';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';
import { OpensslWorkspace } from './support/openssl';
import { DAY_MS, endEntityName, issueEndEntity, issueRoot, issueSubCa } from './support/test-pki';

describe('chain and CRL signed with SoftHSM keys', () => {
  let hsm: TestKeyManager;
  const workspace = new OpensslWorkspace();

  beforeAll(async () => {
    hsm = await openTestKeyManager();
  });
  afterAll(async () => {
    await hsm?.dispose();
    workspace.remove();
  });

  async function hsmSigner(object: string, curve: 'brainpoolP256r1' | 'brainpoolP384r1' | 'brainpoolP512r1') {
    await hsm.km.createEcKeyPair(hsm.uri(object), curve);
    return hsm.km.createSigner(hsm.uri(object));
  }

  it('issues root (bp384) -> sub-CA (bp256) -> end entity that openssl verifies, and a CRL that revokes it', async () => {
    const root = await issueRoot(await hsmSigner('root-2026', 'brainpoolP384r1'));
    const subSigner = await hsmSigner('sub-ca-2026', 'brainpoolP256r1');
    // The sub-CA asks for its certificate with a PKCS#10 request signed in the HSM; the root checks the proof.
    const request = parseCertificationRequest(await createCertificationRequest({ subject: endEntityName('Test-Metering.CA') }, subSigner));
    expect(request.publicKey.spki).toEqual(subSigner.publicKey.spki);
    const sub = await issueSubCa(root, subSigner);
    const ee = await issueEndEntity(sub, await hsmSigner('ee-tls', 'brainpoolP256r1'));
    workspace.write('root.pem', root.pem);
    workspace.write('sub.pem', sub.pem);
    workspace.write('ee.pem', ee.pem);
    const verified = workspace.run(['verify', '-x509_strict', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', 'ee.pem']);
    expect(verified.output).toContain('ee.pem: OK');

    // The CRL is signed as a digest (signDigest) by the sub-CA key in the token.
    const { der } = await encodeCrl(
      { issuer: sub.certificate.subject.der, thisUpdate: new Date(Date.now() - 60_000), nextUpdate: new Date(Date.now() + DAY_MS), crlNumber: 1 },
      [{ serialNumber: ee.certificate.serialNumber, revocationDate: new Date(Date.now() - 60_000), reason: 'keyCompromise' }],
      sub.signer,
    );
    workspace.write('crl.pem', toPem(der, 'X509 CRL'));
    expect(parseCrl(der).verifySignature(sub.certificate)).toBe(true);
    expect(workspace.run(['crl', '-in', 'crl.pem', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
    expect(workspace.run(['verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'sub.pem', '-CRLfile', 'crl.pem', 'ee.pem']).output).toContain('certificate revoked');
  });

  it('issues with a brainpoolP512r1 root key in the token (SHA-512)', async () => {
    const root = await issueRoot(await hsmSigner('root-bp512', 'brainpoolP512r1'));
    const sub = await issueSubCa(root, await hsmSigner('sub-bp512', 'brainpoolP256r1'));
    expect(root.certificate.signatureAlgorithm.name).toBe('ecdsa-with-SHA512');
    workspace.write('root512.pem', root.pem);
    workspace.write('sub512.pem', sub.pem);
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'root512.pem', 'sub512.pem']).output).toContain('sub512.pem: OK');
  });
});
