/**
 * The CRMF encoders round-trip through the parsers (what tests, the meter tooling and the CA's own tests use to
 * make requests), and the SignedData of a renewal is accepted by OpenSSL, the independent oracle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, ContentInfo, SignedData } from '@peculiar/asn1-cms';
import { AsnArray, AsnConvert, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Name } from '@peculiar/asn1-x509';
import { CmsAlgorithmProtection } from '../../libs/crypto/src/cms/cms-algorithm-protection';
import { verifySignedData } from '../../libs/crypto/src/cms/verify-signed-data';
import { encodeCertReqMessages, encodeInitialRequest, encodeRenewalRequest } from '../../libs/crypto/src/crmf/encode-cert-req-messages';
import { parseInitialRequest } from '../../libs/crypto/src/crmf/parse-initial-request';
import { parseRenewalRequest } from '../../libs/crypto/src/crmf/parse-renewal-request';
import { smPkiRequestExtensions } from '../../libs/crypto/src/crmf/sm-pki-request-extensions';
import { generateTestKey, keyIdentifier, name, signWith } from '../policy/support/test-certificates';
import { createTestPki, USER_NAME } from '../policy/support/test-pki';

const SUBJECT = name([['CN', 'Stadtwerke-Test.GWA.MAK'], ['O', 'SM-Test-PKI-DE'], ['OU', '9912345000003'], ['C', 'DE'], ['serialNumber', '1']]);
const SAN = { email: ['pki@stadtwerke.example'], uri: ['https://maco.stadtwerke.example/'] };

describe('encodeInitialRequest', () => {
  it('round-trips three requests (SIG, ENC, TLS) with their proofs, ids, subjects, keys and extensions', async () => {
    const keys = { sig: generateTestKey(), enc: generateTestKey(), tls: generateTestKey() };
    const purposes = ['sig', 'enc', 'tls'] as const;
    const inputs = purposes.map((purpose) => ({
      subject: SUBJECT,
      publicKey: keys[purpose].spki,
      extensions: smPkiRequestExtensions({ purpose, publicKey: keys[purpose].spki, subjectAltName: purpose === 'tls' ? { ...SAN, dns: ['maco.stadtwerke.example'] } : SAN }),
      sign: signWith(keys[purpose]),
    }));
    const parsed = parseInitialRequest(await encodeInitialRequest(inputs));
    expect(parsed.requests.map((r) => r.purpose)).toEqual(['sig', 'enc', 'tls']);
    parsed.requests.forEach((request, index) => {
      const purpose = purposes[index]!;
      expect(request.publicKey.spki.equals(keys[purpose].spki)).toBe(true);
      expect(request.subjectDer.equals(Buffer.from(AsnConvert.serialize(SUBJECT)))).toBe(true);
      expect(request.certReqId.toString(16).padStart(40, '0')).toBe(keyIdentifier(keys[purpose].spki).toString('hex'));
      expect(request.extensions.map((e) => Buffer.from(AsnConvert.serialize(e)).toString('hex'))).toEqual(
        inputs[index]!.extensions.map((e) => Buffer.from(AsnConvert.serialize(e)).toString('hex')),
      );
    });
  });

  it('takes the subject as DER, a chosen certReqId, a proposed validity and a SHA-384 proof on brainpoolP384r1', async () => {
    const key = generateTestKey('brainpoolP384r1');
    const validity = { notBefore: new Date('2026-05-01T00:00:00Z'), notAfter: new Date('2028-04-30T23:59:59Z') };
    const der = await encodeInitialRequest([
      { certReqId: 7n, subject: new Uint8Array(AsnConvert.serialize(SUBJECT)), publicKey: key.spki, validity, sign: signWith(key, 'SHA-384'), hash: 'SHA-384' },
    ]);
    const [request] = parseInitialRequest(der).requests;
    expect(request!.certReqId).toBe(7n);
    expect(request!.validity).toEqual(validity);
    expect(request!.publicKey.curve).toBe('brainpoolP384r1');
    expect(request!.proofOfPossession.hash).toBe('SHA-384');
    expect(request!.purpose).toBeUndefined();
    expect(AsnConvert.parse(request!.subjectDer, Name).length).toBe(SUBJECT.length);
  });

  it('writes DER that OpenSSL reads as the structure the real client sends', async () => {
    const key = generateTestKey();
    const der = await encodeInitialRequest([{ subject: SUBJECT, publicKey: key.spki, extensions: smPkiRequestExtensions({ purpose: 'sig', publicKey: key.spki, subjectAltName: SAN }), sign: signWith(key) }]);
    const dump = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: der }).toString();
    expect(dump).toMatch(/OBJECT\s+:0\.4\.0\.127\.0\.7\.4\.1\.1\.1/);
    expect(dump).toMatch(/cont \[ 5 \]/);
    expect(dump).toMatch(/cont \[ 6 \]/);
    expect(dump).toMatch(/ecdsa-with-SHA256/);
    await expect(encodeCertReqMessages([])).rejects.toThrow(/at least one/);
  });
});

describe('encodeRenewalRequest', () => {
  const pki = createTestPki();
  const renewalOf = async (signer: { key: ReturnType<typeof generateTestKey>; certificate: Buffer }) => {
    const key = generateTestKey();
    return encodeRenewalRequest(
      [{ subject: USER_NAME, publicKey: key.spki, extensions: smPkiRequestExtensions({ purpose: 'sig', publicKey: key.spki, subjectAltName: SAN }), sign: signWith(key) }],
      { certificate: signer.certificate, chain: [pki.subCa.certificate], sign: signWith(signer.key) },
    );
  };

  it('round-trips: signed with the old SIG key, checked against the trusted sub-CA, status asked', async () => {
    const der = await renewalOf(pki.user.sig);
    const serials: string[] = [];
    const renewal = await parseRenewalRequest(der, {
      now: new Date('2027-01-01T00:00:00Z'),
      trustedIssuers: [pki.subCa.certificate],
      signerStatus: (signer) => (serials.push(signer.serialNumber), 'good'),
    });
    expect(renewal.requests).toHaveLength(1);
    expect(renewal.signer.der.equals(pki.user.sig.certificate)).toBe(true);
    expect(renewal.signer.issuer.trusted).toBe(true);
    expect(serials).toEqual([renewal.signer.serialNumber]);
  });

  it('crmf.signer-key-usage: signed with the TLS or ENC key instead of the SIG key', async () => {
    for (const purpose of ['tls', 'enc'] as const) {
      await expect(
        parseRenewalRequest(await renewalOf(pki.user[purpose]), { now: new Date('2027-01-01T00:00:00Z'), signerStatus: () => 'good' }),
      ).rejects.toMatchObject({ rule: 'crmf.signer-key-usage' });
    }
  });

  it('produces a SignedData that openssl cms -verify accepts, with the CertReqMessages as content', async () => {
    const der = await renewalOf(pki.user.sig);
    const signedData = AsnConvert.parse(der, ContentInfo).content;
    const dir = mkdtempSync(join(tmpdir(), 'smpki-crmf-cms-'));
    try {
      writeFileSync(join(dir, 'signed.der'), Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData }))));
      execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', 'signed.der', '-noverify', '-binary', '-out', 'content.der'], { cwd: dir, stdio: 'pipe' });
      const content = readFileSync(join(dir, 'content.der'));
      expect(content.equals(verifySignedData(new Uint8Array(signedData)).content)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses algorithm substitution: a CMSAlgorithmProtection naming another digest, validly signed', async () => {
    const der = await renewalOf(pki.user.sig);
    const original = AsnConvert.parse(der, ContentInfo).content;
    /** The SignedData with its CMSAlgorithmProtection replaced and the signed attributes signed again. */
    const withProtection = async (digestAlgorithm: string): Promise<Buffer> => {
      const signedData = AsnConvert.parse(original, SignedData);
      const signerInfo = signedData.signerInfos[0]!;
      const protection = signerInfo.signedAttrs!.find((attribute) => attribute.attrType === '1.2.840.113549.1.9.52')!;
      protection.attrValues = [
        AsnConvert.serialize(
          new CmsAlgorithmProtection({
            digestAlgorithm: new AlgorithmIdentifier({ algorithm: digestAlgorithm }),
            signatureAlgorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }),
          }),
        ),
      ];
      const signedAttributes = Buffer.from(AsnConvert.serialize(new SignedAttributeSet(signerInfo.signedAttrs!)));
      signerInfo.signature = new OctetString(await signWith(pki.user.sig.key)(signedAttributes));
      return Buffer.from(AsnConvert.serialize(signedData));
    };
    expect(verifySignedData(await withProtection('2.16.840.1.101.3.4.2.1')).digestHash).toBe('SHA-256');
    const substituted = await withProtection('2.16.840.1.101.3.4.2.2');
    expect(() => verifySignedData(substituted)).toThrow(expect.objectContaining({ rule: 'cms.signed-attributes' }));
  });
});

/** `SET OF Attribute`: the DER the signer signs. */
@AsnType({ type: AsnTypeTypes.Set, itemType: Attribute })
class SignedAttributeSet extends AsnArray<Attribute> {
  constructor(items?: Attribute[]) {
    super(items);
    Object.setPrototypeOf(this, SignedAttributeSet.prototype);
  }
}
