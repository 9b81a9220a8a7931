/**
 * Chains built with @smpki/crypto are accepted by OpenSSL: root (brainpoolP384r1, SHA-384, self-signed) ->
 * sub-CA (brainpoolP256r1) -> end entity (brainpoolP256r1, clientAuth+serverAuth, SAN), and a brainpoolP512r1 root
 * with SHA-512. `-x509_strict` makes OpenSSL also check the RFC 5280 profile rules it knows.
 */
import { SoftwareSigner } from '../support/software-signer';
import { OpensslWorkspace } from './support/openssl';
import { issueEndEntity, issueRoot, issueSubCa, rootName } from './support/test-pki';

describe('certificate chains verified by openssl', () => {
  const workspace = new OpensslWorkspace();
  afterAll(() => workspace.remove());

  async function verifyChain(rootCurve: 'brainpoolP384r1' | 'brainpoolP512r1', prefix: string) {
    const root = await issueRoot(SoftwareSigner.generate(rootCurve), rootName(`SM-Test-Root-${prefix}.CA`));
    const sub = await issueSubCa(root, SoftwareSigner.generate('brainpoolP256r1'));
    const ee = await issueEndEntity(sub, SoftwareSigner.generate('brainpoolP256r1'));
    workspace.write(`${prefix}-root.pem`, root.pem);
    workspace.write(`${prefix}-sub.pem`, sub.pem);
    workspace.write(`${prefix}-ee.pem`, ee.pem);
    return { root, sub, ee };
  }

  it('accepts root (bp384, SHA-384) -> sub-CA (bp256) -> end entity', async () => {
    const { root, sub, ee } = await verifyChain('brainpoolP384r1', 'bp384');
    expect(root.certificate.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
    expect(sub.certificate.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
    expect(ee.certificate.signatureAlgorithm.name).toBe('ecdsa-with-SHA256');
    const result = workspace.run(['verify', '-x509_strict', '-CAfile', 'bp384-root.pem', '-untrusted', 'bp384-sub.pem', 'bp384-ee.pem']);
    expect(result.output).toContain('bp384-ee.pem: OK');
    expect(result.status).toBe(0);
    // The sub-CA alone against the root, with the purpose checks of a TLS client and server.
    expect(workspace.run(['verify', '-x509_strict', '-CAfile', 'bp384-root.pem', 'bp384-sub.pem']).status).toBe(0);
    for (const purpose of ['sslclient', 'sslserver']) {
      expect(workspace.run(['verify', '-purpose', purpose, '-CAfile', 'bp384-root.pem', '-untrusted', 'bp384-sub.pem', 'bp384-ee.pem']).status).toBe(0);
    }
  });

  it('accepts a brainpoolP512r1 root signing with SHA-512', async () => {
    const { root } = await verifyChain('brainpoolP512r1', 'bp512');
    expect(root.certificate.signatureAlgorithm.name).toBe('ecdsa-with-SHA512');
    const result = workspace.run(['verify', '-x509_strict', '-CAfile', 'bp512-root.pem', '-untrusted', 'bp512-sub.pem', 'bp512-ee.pem']);
    expect(result.output).toContain('bp512-ee.pem: OK');
  });

  it('is refused by openssl when the end entity was signed by another key (the check can fail)', async () => {
    const { root, sub } = await verifyChain('brainpoolP384r1', 'wrong');
    const stranger = await issueSubCa(root, SoftwareSigner.generate('brainpoolP256r1'));
    // Issued in the sub-CA's name but signed with the stranger's key.
    const forged = await issueEndEntity({ ...sub, signer: stranger.signer }, SoftwareSigner.generate('brainpoolP256r1'));
    workspace.write('forged.pem', forged.pem);
    const result = workspace.run(['verify', '-CAfile', 'wrong-root.pem', '-untrusted', 'wrong-sub.pem', 'forged.pem']);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/certificate signature failure/);
  });

  it('writes what openssl reads back: names in order with their string types, extensions and criticality', async () => {
    const { ee, sub } = await verifyChain('brainpoolP384r1', 'text');
    const text = workspace.run(['x509', '-in', 'text-ee.pem', '-noout', '-text']).output;
    expect(text).toContain('Subject: CN = Company-Test.EMT.MAK, O = SM-Test-PKI-DE, OU = 1234567890120, C = DE, serialNumber = 1');
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+TLS Web Client Authentication, TLS Web Server Authentication/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \s+email:test@company.invalid, URI:https:\/\/maco.company.invalid:11111\/maco, DNS:maco.company.invalid/);
    expect(text).toContain('URI:ldap://ldap.test.invalid/CN=Test-Metering.CA?certificateRevocationList');
    expect(text).toContain('ASN1 OID: brainpoolP256r1');
    const subText = workspace.run(['x509', '-in', 'text-sub.pem', '-noout', '-text']).output;
    expect(subText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(subText).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(subText).toMatch(/Policy: 0.4.0.127.0.7.3.4.1.1.1\s+CPS: https:\/\/www.bsi.bund.de/);
    expect(subText).toMatch(/Authority Information Access: \s+CA Issuers - URI:http:\/\/pki.test.invalid\/issuer.cer/);
    // String types as in the real SM-PKI certificates: PrintableString when printable, UTF8String for 'ß'.
    const asn1 = workspace.run(['asn1parse', '-in', 'text-sub.pem']).output;
    expect(asn1).toMatch(/PRINTABLESTRING\s+:Test-Metering.CA/);
    expect(asn1).toMatch(/PRINTABLESTRING\s+:DE/);
    expect(asn1).toMatch(/UTF8STRING\s+:Teststraße 1/);
    // openssl's own view of the key identifiers agrees with ours.
    expect(text).toContain(sub.certificate.subjectKeyIdentifier()!.toString('hex').toUpperCase().match(/../g)!.join(':'));
    expect(ee.certificate.authorityKeyIdentifier()!.keyIdentifier).toEqual(sub.certificate.subjectKeyIdentifier());
  });
});
