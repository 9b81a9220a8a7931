/**
 * Stock @peculiar/x509 2.2.0 cuts brainpoolP384r1/P512r1 signatures to 32-byte r and s; openssl then refuses the
 * certificate. fixPeculiarBrainpoolSignatureSizes() is the one-time fix. The issuer certificate comes from our own
 * builder; the leaf is signed by @peculiar/x509's X509CertificateGenerator through peculiarSigningKey().
 */
import 'reflect-metadata';
import { AsnEcSignatureFormatter, BasicConstraintsExtension, Name, X509CertificateGenerator } from '@peculiar/x509';
import { ecdsaDerToRaw, fixPeculiarBrainpoolSignatureSizes, parseCertificate, peculiarSigningKey } from '@smpki/crypto';
import type { Signer } from '@smpki/hsm';
import { SoftwareSigner } from '../support/software-signer';
import { OpensslWorkspace } from './support/openssl';
import { issueRoot, rootName } from './support/test-pki';

describe('fixPeculiarBrainpoolSignatureSizes', () => {
  const workspace = new OpensslWorkspace();
  afterAll(() => workspace.remove());

  async function peculiarLeaf(issuerSigner: Signer, issuerName: Uint8Array, name: string): Promise<Buffer> {
    const { crypto, signingKey } = peculiarSigningKey(issuerSigner);
    const leafKey = SoftwareSigner.generate('brainpoolP256r1');
    const certificate = await X509CertificateGenerator.create(
      {
        serialNumber: '0102030405060708',
        issuer: new Name(new Uint8Array(issuerName)),
        subject: `CN=${name}, O=SM-Test-PKI-DE, C=DE`,
        notBefore: new Date(Date.now() - 3_600_000),
        notAfter: new Date(Date.now() + 86_400_000),
        publicKey: leafKey.publicKey.spki,
        signingKey,
        signingAlgorithm: { name: 'ECDSA', hash: issuerSigner.curve === 'brainpoolP512r1' ? 'SHA-512' : 'SHA-384' },
        extensions: [new BasicConstraintsExtension(false, undefined, true)],
      },
      crypto,
    );
    return Buffer.from(certificate.rawData);
  }

  it.each([
    ['brainpoolP384r1', 48],
    ['brainpoolP512r1', 64],
  ] as const)('makes @peculiar/x509 %s signatures verify with openssl (r and s of %i bytes)', async (curve, size) => {
    for (const name of Object.keys({ brainpoolP384r1: 0, brainpoolP512r1: 0 })) AsnEcSignatureFormatter.namedCurveSize.delete(name);
    const issuerSigner = SoftwareSigner.generate(curve);
    const root = await issueRoot(issuerSigner, rootName(`Peculiar-${curve}.CA`));
    workspace.write(`${curve}-root.pem`, root.pem);
    const issuerName = root.certificate.subject.der;

    const broken = await peculiarLeaf(issuerSigner, issuerName, 'before-fix');
    workspace.write(`${curve}-broken.der`, broken);
    const before = workspace.run(['verify', '-CAfile', `${curve}-root.pem`, workspace.write(`${curve}-broken.pem`, parseCertificate(broken).toPem())]);
    expect(before.status).not.toBe(0);
    expect(before.output).toContain('certificate signature failure');

    fixPeculiarBrainpoolSignatureSizes();
    const fixed = await peculiarLeaf(issuerSigner, issuerName, 'after-fix');
    const after = workspace.run(['verify', '-CAfile', `${curve}-root.pem`, workspace.write(`${curve}-fixed.pem`, parseCertificate(fixed).toPem())]);
    expect(after.output).toContain(': OK');
    expect(after.status).toBe(0);
    const parsed = parseCertificate(fixed);
    expect(parsed.verifySignature(root.certificate)).toBe(true);
    expect(ecdsaDerToRaw(parsed.signature, curve)).toHaveLength(2 * size);
  });
});
