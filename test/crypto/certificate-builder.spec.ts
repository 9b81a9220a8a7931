/**
 * The fast builder's output read back by an independent parser (@peculiar/asn1-x509), its signature algorithm per
 * issuer curve, and the refusals of bad templates and bad certificates.
 */
import { verify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import {
  basicConstraints,
  CryptoInputError,
  encodeSignedStructure,
  encodeTbsCertificate,
  issueCertificate,
  keyUsage,
  parseCertificate,
  signatureAlgorithmForCurve,
  subjectKeyIdentifier,
  verifyCertificateSignature,
  type CertificateTemplate,
  type CryptoInputRule,
} from '@smpki/crypto';
import type { Curve, Signer } from '@smpki/hsm';
import { SoftwareSigner } from '../support/software-signer';
import { endEntityName, subCaName } from './support/test-pki';

const subject = SoftwareSigner.generate('brainpoolP256r1');

function template(overrides: Partial<CertificateTemplate> = {}): CertificateTemplate {
  return {
    serialNumber: 0x0d4f55c6252ae13f65d93b06096f5cb8n,
    issuer: subCaName(),
    subject: endEntityName(),
    validity: { notBefore: new Date('2026-01-13T10:37:08.250Z'), notAfter: new Date('2028-01-13T23:59:59Z') },
    subjectPublicKeyInfo: subject.publicKey.spki,
    extensions: [keyUsage(['digitalSignature']), basicConstraints({ ca: false }), subjectKeyIdentifier({ spki: subject.publicKey.spki })],
    ...overrides,
  };
}

async function ruleOf(run: () => unknown): Promise<CryptoInputRule> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CryptoInputError) return error.rule;
    throw error;
  }
  throw new Error('accepted');
}

describe('certificate builder', () => {
  it('writes a certificate an independent parser reads back field by field', async () => {
    const issuer = SoftwareSigner.generate('brainpoolP384r1');
    const der = await issueCertificate(template(), issuer);
    const certificate = AsnConvert.parse(der, asn.Certificate);
    const tbs = certificate.tbsCertificate;
    expect(tbs.version).toBe(asn.Version.v3);
    expect(Buffer.from(tbs.serialNumber).toString('hex')).toBe('0d4f55c6252ae13f65d93b06096f5cb8');
    expect(certificate.signatureAlgorithm.algorithm).toBe('1.2.840.10045.4.3.3');
    expect(certificate.signatureAlgorithm.parameters).toBeUndefined();
    expect(tbs.validity.notBefore.utcTime!.toISOString()).toBe('2026-01-13T10:37:08.000Z');
    expect(tbs.validity.notAfter.utcTime!.toISOString()).toBe('2028-01-13T23:59:59.000Z');
    expect(tbs.subject.map((rdn) => rdn[0]!.value.toString())).toEqual(['Company-Test.EMT.MAK', 'SM-Test-PKI-DE', '1234567890120', 'DE', '1']);
    expect(tbs.extensions!.map((extension) => [extension.extnID, extension.critical])).toEqual([
      ['2.5.29.15', true],
      ['2.5.29.19', true],
      ['2.5.29.14', false],
    ]);
    const parsed = parseCertificate(der);
    expect(verify('sha384', parsed.tbs, { key: issuer.publicKey.spki, format: 'der', type: 'spki', dsaEncoding: 'der' }, parsed.signature)).toBe(true);
    expect(parsed.verifySignature(issuer.publicKey.spki)).toBe(true);
    expect(parsed.verifySignature(subject.publicKey.spki)).toBe(false);
  });

  it.each([
    ['brainpoolP256r1', 'ecdsa-with-SHA256'],
    ['brainpoolP384r1', 'ecdsa-with-SHA384'],
    ['brainpoolP512r1', 'ecdsa-with-SHA512'],
    ['P-256', 'ecdsa-with-SHA256'],
    ['P-384', 'ecdsa-with-SHA384'],
  ] as const)('signs with a %s issuer key using %s', async (curve: Curve, algorithm) => {
    const issuer = SoftwareSigner.generate(curve);
    const parsed = parseCertificate(await issueCertificate(template(), issuer));
    expect(parsed.signatureAlgorithm.name).toBe(algorithm);
    expect(parsed.verifySignature(issuer.publicKey.spki)).toBe(true);
  });

  it('takes a hash override', async () => {
    const issuer = SoftwareSigner.generate('brainpoolP256r1');
    const parsed = parseCertificate(await issueCertificate(template(), issuer, { hash: 'SHA-384' }));
    expect(parsed.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
    expect(parsed.verifySignature(issuer.publicKey.spki)).toBe(true);
  });

  it('writes GeneralizedTime from 2050 on', async () => {
    const der = encodeTbsCertificate(template({ validity: { notBefore: new Date('2049-12-31T00:00:00Z'), notAfter: new Date('2050-01-01T00:00:00Z') } }), signatureAlgorithmForCurve('brainpoolP256r1'));
    const tbs = AsnConvert.parse(der, asn.TBSCertificate);
    expect(tbs.validity.notBefore.utcTime).toBeDefined();
    expect(tbs.validity.notAfter.generalTime!.toISOString()).toBe('2050-01-01T00:00:00.000Z');
  });

  it('refuses templates that would make an invalid certificate', async () => {
    const algorithm = signatureAlgorithmForCurve('brainpoolP256r1');
    const encode = (overrides: Partial<CertificateTemplate>) => () => encodeTbsCertificate(template(overrides), algorithm);
    expect(await ruleOf(encode({ serialNumber: 0n }))).toBe('serial.invalid');
    expect(await ruleOf(encode({ serialNumber: Buffer.alloc(21, 1) }))).toBe('serial.invalid');
    expect(await ruleOf(encode({ validity: { notBefore: new Date('2026-01-02'), notAfter: new Date('2026-01-02T00:00:00.900Z') } }))).toBe('validity.invalid');
    expect(await ruleOf(encode({ extensions: [keyUsage(['digitalSignature']), keyUsage(['keyAgreement'])] }))).toBe('extension.duplicate');
    expect(await ruleOf(encode({ subjectPublicKeyInfo: Buffer.from('junk') }))).toBe('der.malformed');
  });

  it('refuses a signer whose backend returns r||s instead of DER', async () => {
    const issuer = SoftwareSigner.generate('brainpoolP256r1');
    const raw: Signer = { ...issuer, curve: issuer.curve, keyUri: issuer.keyUri, publicKey: issuer.publicKey, signDigest: issuer.signDigest.bind(issuer), sign: (data) => issuer.sign(data, { format: 'raw' }) };
    await expect(issueCertificate(template(), raw)).rejects.toThrow(/not a DER ECDSA-Sig-Value on brainpoolP256r1/);
  });
});

describe('certificate parsing refusals', () => {
  const issuer = SoftwareSigner.generate('brainpoolP256r1');
  let der: Buffer;
  beforeAll(async () => {
    der = await issueCertificate(template(), issuer);
  });

  it('names truncated, padded and garbage input der.malformed', async () => {
    expect(await ruleOf(() => parseCertificate(der.subarray(0, 100)))).toBe('der.malformed');
    expect(await ruleOf(() => parseCertificate(Buffer.concat([der, Buffer.of(0, 0)])))).toBe('der.malformed');
    expect(await ruleOf(() => parseCertificate(Buffer.from('hello world')))).toBe('der.malformed');
    expect(await ruleOf(() => parseCertificate('-----BEGIN X509 CRL-----\n-----END X509 CRL-----'))).toBe('pem.malformed');
  });

  it('refuses a certificate whose inner and outer signature algorithms differ', async () => {
    const parsed = parseCertificate(der);
    const other = signatureAlgorithmForCurve('brainpoolP384r1');
    const mismatched = encodeSignedStructure(parsed.tbs, other, parsed.signature);
    expect(await ruleOf(() => parseCertificate(mismatched))).toBe('der.malformed');
  });

  it('refuses RSA-signed certificates with signature.algorithm-not-allowed', async () => {
    const rsaAlgorithm = Buffer.from('300d06092a864886f70d01010b0500', 'hex');
    const tbs = parseCertificate(der).tbs;
    const rsa = Buffer.concat([Buffer.of(0x30, 0x82), Buffer.alloc(2), tbs, rsaAlgorithm, Buffer.of(0x03, 0x02, 0x00, 0x00)]);
    rsa.writeUInt16BE(rsa.length - 4, 2);
    expect(await ruleOf(() => parseCertificate(rsa))).toBe('signature.algorithm-not-allowed');
  });

  it('throws signature.invalid from verifyCertificateSignature when the issuer did not sign', async () => {
    const parsed = parseCertificate(der);
    expect(() => verifyCertificateSignature(parsed, issuer.publicKey.spki)).not.toThrow();
    expect(await ruleOf(() => verifyCertificateSignature(parsed, subject.publicKey.spki))).toBe('signature.invalid');
  });
});
