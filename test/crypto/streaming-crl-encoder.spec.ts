/**
 * The streaming CRL encoder read back by an independent parser (@peculiar/asn1-x509), chunk boundaries that do
 * not change a byte, the CRL parser on more entries than asn1js parses by default, and refused entries.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { CryptoInputError, encodeCrl, parseCrl, type CrlTemplate, type CryptoInputRule, type RevokedCertificate } from '@smpki/crypto';
import { SoftwareSigner } from '../support/software-signer';
import { fixedSignatureSigner } from './support/fixed-signature-signer';
import { rootName, subCaName } from './support/test-pki';

const TEMPLATE: CrlTemplate = {
  issuer: subCaName(),
  thisUpdate: new Date('2026-03-01T00:00:00Z'),
  nextUpdate: new Date('2026-03-08T00:00:00Z'),
  crlNumber: 42,
};

function entries(count: number, start = 1): RevokedCertificate[] {
  return Array.from({ length: count }, (_, i) => ({
    serialNumber: BigInt(start + i) * 0x1000000000000000000000001n,
    revocationDate: new Date(Date.UTC(2026, 1, 1) + i * 1000),
    ...(i % 3 === 0 && { reason: 'keyCompromise' as const, invalidityDate: new Date(Date.UTC(2026, 0, 1)) }),
  }));
}

async function ruleOf(run: () => Promise<unknown>): Promise<{ rule: CryptoInputRule; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CryptoInputError) return { rule: error.rule, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

describe('streaming CRL encoder', () => {
  it('writes a v2 CRL an independent parser reads back, signed by the issuer key', async () => {
    const signer = SoftwareSigner.generate('brainpoolP384r1');
    const list: RevokedCertificate[] = [
      { serialNumber: 'abcdef', revocationDate: new Date('2026-02-01T10:00:00Z'), reason: 'superseded' },
      { serialNumber: 0x80n, revocationDate: new Date('2051-01-01T00:00:00Z'), reason: 'unspecified', invalidityDate: new Date('2050-12-31T00:00:00Z') },
    ];
    const { der, entryCount } = await encodeCrl({ ...TEMPLATE, deltaCrlIndicator: 40, issuingDistributionPoint: { distributionPoint: ['http://crl.test.invalid/sub.crl'] } }, list, signer);
    expect(entryCount).toBe(2);
    const crl = AsnConvert.parse(der, asn.CertificateList);
    const tbs = crl.tbsCertList;
    expect(tbs.version).toBe(asn.Version.v2);
    expect(crl.signatureAlgorithm.algorithm).toBe('1.2.840.10045.4.3.3');
    expect(tbs.thisUpdate.getTime().toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(tbs.nextUpdate!.getTime().toISOString()).toBe('2026-03-08T00:00:00.000Z');
    const [first, second] = tbs.revokedCertificates!;
    expect(Buffer.from(first!.userCertificate).toString('hex')).toBe('00abcdef');
    expect(first!.revocationDate.utcTime!.toISOString()).toBe('2026-02-01T10:00:00.000Z');
    expect(first!.crlEntryExtensions!.map((extension) => extension.extnID)).toEqual(['2.5.29.21']);
    expect(Buffer.from(second!.userCertificate).toString('hex')).toBe('0080');
    // 2051 is a GeneralizedTime; the `unspecified` reason is left out, the invalidity date kept.
    expect(second!.revocationDate.generalTime!.toISOString()).toBe('2051-01-01T00:00:00.000Z');
    expect(second!.crlEntryExtensions!.map((extension) => extension.extnID)).toEqual(['2.5.29.24']);
    expect(tbs.crlExtensions!.map((extension) => [extension.extnID, extension.critical])).toEqual([
      ['2.5.29.35', false],
      ['2.5.29.20', false],
      ['2.5.29.27', true],
      ['2.5.29.28', true],
    ]);

    const parsed = parseCrl(der);
    expect(parsed.verifySignature(signer.publicKey.spki)).toBe(true);
    expect(parsed.verifySignature(SoftwareSigner.generate('brainpoolP384r1').publicKey.spki)).toBe(false);
    expect(parsed.crlNumber).toBe(42n);
    expect(parsed.deltaCrlIndicator).toBe(40n);
    expect(parsed.issuer.get('CN')).toBe('Test-Metering.CA');
    expect(parsed.authorityKeyIdentifier!.keyIdentifier).toHaveLength(20);
    expect([...parsed.entries()].map(({ serialNumberHex, reason, invalidityDate }) => ({ serialNumberHex, reason, invalidityDate }))).toEqual([
      { serialNumberHex: 'abcdef', reason: 'superseded', invalidityDate: undefined },
      { serialNumberHex: '80', reason: undefined, invalidityDate: new Date('2050-12-31T00:00:00Z') },
    ]);
  });

  it('gives the same bytes whatever the chunk size, for sync, async and paged sources', async () => {
    const signer = fixedSignatureSigner();
    const list = entries(500);
    const reference = (await encodeCrl(TEMPLATE, list, signer)).der;
    expect((await encodeCrl(TEMPLATE, list, signer, { chunkSize: 64 })).der).toEqual(reference);
    expect((await encodeCrl(TEMPLATE, list, signer, { chunkSize: 1 })).der).toEqual(reference);
    async function* oneByOne() {
      yield* list;
    }
    async function* pages() {
      for (let i = 0; i < list.length; i += 128) yield list.slice(i, i + 128);
    }
    function* generator() {
      yield* list;
    }
    expect((await encodeCrl(TEMPLATE, oneByOne(), signer)).der).toEqual(reference);
    expect((await encodeCrl(TEMPLATE, pages(), signer)).der).toEqual(reference);
    expect((await encodeCrl(TEMPLATE, generator(), signer)).der).toEqual(reference);
  });

  it('encodes entries longer than 127 bytes (indirect CRL with a long certificate issuer)', async () => {
    const signer = SoftwareSigner.generate('brainpoolP256r1');
    const longIssuer = [...rootName(), { type: 'street' as const, value: 'x'.repeat(120) }];
    const { der } = await encodeCrl({ ...TEMPLATE, issuingDistributionPoint: { indirectCrl: true } }, [{ serialNumber: 5n, revocationDate: new Date('2026-02-01T00:00:00Z'), certificateIssuer: longIssuer }, { serialNumber: 6n, revocationDate: new Date('2026-02-01T00:00:00Z') }], signer);
    const crl = AsnConvert.parse(der, asn.CertificateList);
    expect(crl.tbsCertList.revokedCertificates![0]!.crlEntryExtensions![0]!.extnID).toBe('2.5.29.29');
    expect(crl.tbsCertList.revokedCertificates![0]!.crlEntryExtensions![0]!.critical).toBe(true);
    const parsed = [...parseCrl(der).entries()];
    const issuerOf = (entry: (typeof parsed)[number]) => (entry.certificateIssuer?.[0]?.type === 'directoryName' ? entry.certificateIssuer[0].value.get('CN') : undefined);
    expect(issuerOf(parsed[0]!)).toBe('SM-Test-Root.CA');
    // The second entry is the CRL issuer's own again: the extension switches back to it.
    expect(issuerOf(parsed[1]!)).toBe('Test-Metering.CA');
  });

  it('parses 20,000 entries, more than asn1js parses by default', async () => {
    const { der } = await encodeCrl(TEMPLATE, entries(20_000), fixedSignatureSigner());
    expect(() => AsnConvert.parse(der, asn.CertificateList)).toThrow();
    const parsed = parseCrl(der);
    expect(parsed.entryCount()).toBe(20_000);
    let count = 0;
    for (const entry of parsed.entries()) {
      count++;
      if (count === 20_000) expect(entry.serialNumberHex).toBe((20_000n * 0x1000000000000000000000001n).toString(16).padStart(26, '0'));
    }
    expect(count).toBe(20_000);
  });

  it('refuses bad entries with crl.entry-invalid naming the entry, and bad times with validity.invalid', async () => {
    const signer = fixedSignatureSigner();
    const good = entries(3);
    expect(await ruleOf(() => encodeCrl(TEMPLATE, [...good, { serialNumber: 'xyz', revocationDate: new Date() }], signer))).toEqual({
      rule: 'crl.entry-invalid',
      message: "CRL entry 3 (serial xyz): serial number 'xyz' is not hexadecimal",
    });
    expect((await ruleOf(() => encodeCrl(TEMPLATE, [{ serialNumber: 0n, revocationDate: new Date() }], signer))).rule).toBe('crl.entry-invalid');
    expect((await ruleOf(() => encodeCrl(TEMPLATE, [{ serialNumber: 1n, revocationDate: new Date('nope') }], signer))).message).toMatch(/revocationDate must be a valid date/);
    expect((await ruleOf(() => encodeCrl(TEMPLATE, [{ serialNumber: 1n, revocationDate: new Date(), certificateIssuer: rootName() }], signer))).message).toMatch(/not indirect/);
    expect((await ruleOf(() => encodeCrl(TEMPLATE, [{ serialNumber: 1n, revocationDate: new Date(), reason: 'bogus' as never }], signer))).message).toMatch(/unknown CRL reason 'bogus'/);
    expect((await ruleOf(() => encodeCrl({ ...TEMPLATE, nextUpdate: TEMPLATE.thisUpdate }, [], signer))).rule).toBe('validity.invalid');
  });

  it('refuses malformed CRLs when parsing', async () => {
    const { der } = await encodeCrl(TEMPLATE, entries(3), fixedSignatureSigner());
    expect(() => parseCrl(der.subarray(0, der.length - 5))).toThrow(expect.objectContaining({ rule: 'der.malformed' }));
    expect(() => parseCrl('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----')).toThrow(expect.objectContaining({ rule: 'pem.malformed' }));
    expect(parseCrl(parseCrl(der).toPem()).entryCount()).toBe(3);
  });
});
