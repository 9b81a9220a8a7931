/**
 * Real certificates changed in exactly one respect and signed again: the linter names the rule that change
 * breaks, and no other error (so a rule neither misses its case nor fires on a neighbour's).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Extension, Name, RelativeDistinguishedName, SubjectPublicKeyInfo, Time, type TBSCertificate } from '@peculiar/asn1-x509';
import { lintCertificate, type Finding } from '@smpki/policy';
import { ext, generateRsaKey, generateTestKey, readReal, resignCertificate, setExtension } from './support/test-certificates';

const signingKey = generateTestKey('brainpoolP256r1');
const SAN = '2.5.29.17';
const KEY_USAGE = '2.5.29.15';
const EKU = '2.5.29.37';
const BASIC_CONSTRAINTS = '2.5.29.19';
const POLICIES = '2.5.29.32';
const CRL_DP = '2.5.29.31';

function mutate(file: string, change: (tbs: TBSCertificate) => void, hash: 'SHA-256' | 'SHA-384' = 'SHA-256'): Buffer {
  return resignCertificate(readReal(file), change, signingKey, hash);
}

function errorRules(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((finding) => finding.severity === 'error').map((finding) => finding.rule))].sort();
}

function setAttribute(name: Name, oid: string, value: string): void {
  for (const rdn of name) {
    for (const attribute of rdn) if (attribute.type === oid) attribute.value = new AttributeValue({ printableString: value });
  }
}

describe('lintCertificate on certificates that break one rule', () => {
  it('re-signing alone changes nothing (the baseline of every case below)', () => {
    for (const file of ['tls.cer', 'sig.cer', 'enc.cer', 'renewcert0.der']) expect(lintCertificate(mutate(file, () => {})).findings).toEqual([]);
    expect(lintCertificate(mutate('renewcert1.der', () => {}, 'SHA-384')).findings).toEqual([]);
  });

  it('key.curve: a P-256 key where the end-user profile requires brainpool', () => {
    const p256 = generateTestKey('P-256');
    const result = lintCertificate(mutate('tls.cer', (tbs) => (tbs.subjectPublicKeyInfo = AsnConvert.parse(p256.spki, SubjectPublicKeyInfo))));
    expect(errorRules(result.findings)).toEqual(['key.curve']);
    expect(result.findings[0]!.message).toContain('P-256');
  });

  it('key.curve: a brainpoolP256r1 key on a sub-CA is fine, a brainpoolP512r1 key is not (default options)', () => {
    const bp512 = generateTestKey('brainpoolP512r1');
    const result = lintCertificate(mutate('renewcert1.der', (tbs) => (tbs.subjectPublicKeyInfo = AsnConvert.parse(bp512.spki, SubjectPublicKeyInfo)), 'SHA-384'));
    expect(errorRules(result.findings)).toEqual(['key.curve']);
  });

  it('key.algorithm: an RSA key', () => {
    const rsa = generateRsaKey();
    const result = lintCertificate(mutate('sig.cer', (tbs) => (tbs.subjectPublicKeyInfo = AsnConvert.parse(rsa.spki, SubjectPublicKeyInfo))));
    expect(errorRules(result.findings)).toEqual(['key.algorithm']);
  });

  it('ext.san.required: an EMT certificate without subjectAltName', () => {
    const result = lintCertificate(mutate('sig.cer', (tbs) => setExtension(tbs, SAN)));
    expect(result.profile).toBe('sm-user-sig');
    expect(errorRules(result.findings)).toEqual(['ext.san.required']);
  });

  it('ext.san.forbidden: an SMGW certificate with subjectAltName', () => {
    const result = lintCertificate(mutate('sig.cer', (tbs) => setAttribute(tbs.subject, '2.5.4.3', 'EDNT0012345678.SMGW')));
    expect(result.profile).toBe('sm-gateway-sig');
    expect(errorRules(result.findings)).toEqual(['ext.san.forbidden']);
  });

  it('an SMGW certificate without subjectAltName passes', () => {
    const result = lintCertificate(
      mutate('sig.cer', (tbs) => {
        setAttribute(tbs.subject, '2.5.4.3', 'EDNT0012345678.SMGW');
        setExtension(tbs, SAN);
      }),
    );
    expect(result).toEqual({ profile: 'sm-gateway-sig', findings: [], ok: true });
  });

  it('ext.san.types: a TLS certificate without dNSName, a signature certificate with one', () => {
    const tls = lintCertificate(mutate('tls.cer', (tbs) => setExtension(tbs, SAN, ext.subjectAltName({ email: ['a@b.de'], uri: ['https://b.de/'] }))));
    expect(errorRules(tls.findings)).toEqual(['ext.san.types']);
    const sig = lintCertificate(mutate('sig.cer', (tbs) => setExtension(tbs, SAN, ext.subjectAltName({ email: ['a@b.de'], uri: ['https://b.de/'], dns: ['b.de'] }))));
    expect(errorRules(sig.findings)).toEqual(['ext.san.types']);
  });

  it('ext.keyUsage.critical: a non-critical keyUsage', () => {
    const result = lintCertificate(mutate('tls.cer', (tbs) => setExtension(tbs, KEY_USAGE, ext.keyUsage(['digitalSignature'], false))));
    expect(errorRules(result.findings)).toEqual(['ext.keyUsage.critical']);
  });

  it('ext.keyUsage.value: an extra bit, and a missing bit', () => {
    const extra = lintCertificate(mutate('sig.cer', (tbs) => setExtension(tbs, KEY_USAGE, ext.keyUsage(['digitalSignature', 'contentCommitment']))));
    expect(errorRules(extra.findings)).toEqual(['ext.keyUsage.value']);
    const missing = lintCertificate(mutate('enc.cer', (tbs) => setExtension(tbs, KEY_USAGE, ext.keyUsage(['keyAgreement']))));
    expect(missing.profile).toBe('sm-user-enc');
    expect(errorRules(missing.findings)).toEqual(['ext.keyUsage.value']);
  });

  it('ext.eku.value and ext.eku.critical: TLS purposes missing, or marked non-critical', () => {
    const missing = lintCertificate(mutate('tls.cer', (tbs) => setExtension(tbs, EKU)), { profile: 'sm-user-tls' });
    expect(errorRules(missing.findings)).toEqual(['ext.eku.value']);
    const serverOnly = lintCertificate(mutate('tls.cer', (tbs) => setExtension(tbs, EKU, ext.extKeyUsage(['1.3.6.1.5.5.7.3.1']))));
    expect(errorRules(serverOnly.findings)).toEqual(['ext.eku.value']);
    const nonCritical = lintCertificate(mutate('tls.cer', (tbs) => setExtension(tbs, EKU, ext.extKeyUsage(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1'], false))));
    expect(errorRules(nonCritical.findings)).toEqual(['ext.eku.critical']);
  });

  it('ext.basicConstraints: a sub-CA with pathLen 1, an end user without basicConstraints', () => {
    const pathLen = lintCertificate(mutate('renewcert1.der', (tbs) => setExtension(tbs, BASIC_CONSTRAINTS, ext.basicConstraints(true, 1)), 'SHA-384'));
    expect(errorRules(pathLen.findings)).toEqual(['ext.basicConstraints']);
    const absent = lintCertificate(mutate('enc.cer', (tbs) => setExtension(tbs, BASIC_CONSTRAINTS)));
    expect(errorRules(absent.findings)).toEqual(['ext.basicConstraints']);
  });

  it('ext.criticality.noncritical: a critical CRL distribution point', () => {
    const result = lintCertificate(
      mutate('sig.cer', (tbs) => {
        const crlDp = tbs.extensions!.find((extension) => extension.extnID === CRL_DP)!;
        setExtension(tbs, CRL_DP, new Extension({ extnID: CRL_DP, critical: true, extnValue: crlDp.extnValue }));
      }),
    );
    expect(errorRules(result.findings)).toEqual(['ext.criticality.noncritical']);
  });

  it('ext.required: a sub-CA without CRL distribution point', () => {
    const result = lintCertificate(mutate('renewcert1.der', (tbs) => setExtension(tbs, CRL_DP), 'SHA-384'));
    expect(errorRules(result.findings)).toEqual(['ext.required']);
  });

  it('ext.policies: a sub-CA that does not assert the SM-PKI policy', () => {
    const result = lintCertificate(mutate('renewcert1.der', (tbs) => setExtension(tbs, POLICIES, ext.certificatePolicies(['1.2.3.4'])), 'SHA-384'));
    expect(errorRules(result.findings)).toEqual(['ext.policies']);
  });

  it('ext.unknown is a warning: the certificate still passes', () => {
    const privateExtension = new Extension({ extnID: '1.2.3.4.5', critical: false, extnValue: new OctetString(Buffer.from([0x05, 0x00])) });
    const result = lintCertificate(mutate('sig.cer', (tbs) => setExtension(tbs, '1.2.3.4.5', privateExtension)));
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([{ rule: 'ext.unknown', severity: 'warning', message: expect.stringContaining('1.2.3.4.5') }]);
  });

  it('validity.max: three years where two are allowed', () => {
    const result = lintCertificate(mutate('enc.cer', (tbs) => (tbs.validity.notAfter = new Time(new Date('2029-01-13T23:59:59Z')))));
    expect(errorRules(result.findings)).toEqual(['validity.max']);
  });

  it('validity.max allows the real pattern: two calendar years to the end of the last day, not one second more', () => {
    const oneMore = lintCertificate(mutate('enc.cer', (tbs) => (tbs.validity.notAfter = new Time(new Date('2028-01-14T23:59:59Z')))));
    expect(errorRules(oneMore.findings)).toEqual(['validity.max']);
  });

  it('validity.not-after-end-of-day: notAfter at noon', () => {
    const result = lintCertificate(mutate('sig.cer', (tbs) => (tbs.validity.notAfter = new Time(new Date('2028-01-13T12:00:00Z')))));
    expect(errorRules(result.findings)).toEqual(['validity.not-after-end-of-day']);
  });

  it('validity.order: notAfter before notBefore', () => {
    const result = lintCertificate(mutate('sig.cer', (tbs) => (tbs.validity.notAfter = new Time(new Date('2025-01-13T23:59:59Z')))));
    expect(errorRules(result.findings)).toEqual(['validity.order']);
  });

  it('name.cn.suffix: a sub-CA whose CN does not end in .CA', () => {
    const result = lintCertificate(mutate('renewcert1.der', (tbs) => setAttribute(tbs.subject, '2.5.4.3', 'MTG-Metering-Test-DE.CX'), 'SHA-384'));
    expect(result.profile).toBe('sm-sub-ca');
    expect(errorRules(result.findings)).toEqual(['name.cn.suffix']);
  });

  it('name.cn.role: an end-user CN without .EMT/.GWA/.GWH', () => {
    const result = lintCertificate(mutate('tls.cer', (tbs) => setAttribute(tbs.subject, '2.5.4.3', 'TEN.XYZ.MAKLIEF')));
    expect(errorRules(result.findings)).toEqual(['name.cn.role']);
  });

  it('name.ou.gln, name.o, name.c, name.serialNumber', () => {
    expect(errorRules(lintCertificate(mutate('sig.cer', (tbs) => setAttribute(tbs.subject, '2.5.4.11', '99789870000'))).findings)).toEqual(['name.ou.gln']);
    expect(errorRules(lintCertificate(mutate('sig.cer', (tbs) => setAttribute(tbs.subject, '2.5.4.10', 'ACME'))).findings)).toEqual(['name.o']);
    expect(errorRules(lintCertificate(mutate('sig.cer', (tbs) => setAttribute(tbs.subject, '2.5.4.6', 'AT'))).findings)).toEqual(['name.c']);
    const withoutSerial = mutate('sig.cer', (tbs) => {
      tbs.subject = new Name(tbs.subject.filter((rdn) => rdn[0]!.type !== '2.5.4.5'));
    });
    expect(errorRules(lintCertificate(withoutSerial).findings)).toEqual(['name.serialNumber']);
  });

  it('serial.number: a serial with fewer than 64 bits', () => {
    const result = lintCertificate(mutate('sig.cer', (tbs) => (tbs.serialNumber = new Uint8Array([0x01, 0x02, 0x03]).buffer)));
    expect(errorRules(result.findings)).toEqual(['serial.number']);
  });

  it('signature.valid: a certificate whose bytes changed after signing, checked against its issuer', () => {
    const issuerKey = generateTestKey('brainpoolP384r1');
    const issuer = resignCertificate(readReal('renewcert1.der'), (tbs) => (tbs.subjectPublicKeyInfo = AsnConvert.parse(issuerKey.spki, SubjectPublicKeyInfo)), issuerKey, 'SHA-384');
    const signed = resignCertificate(readReal('renewcert0.der'), () => {}, issuerKey, 'SHA-384');
    expect(lintCertificate(signed, { issuer }).findings).toEqual([]);
    const tampered = Buffer.from(signed);
    const serialOffset = tampered.indexOf(Buffer.from('1f9c35fc12c486c5', 'hex'));
    tampered[serialOffset + 3]! ^= 0x01;
    expect(errorRules(lintCertificate(tampered, { issuer }).findings)).toEqual(['signature.valid']);
  });

  it('signature.hash: SHA-256 by a brainpoolP384r1 issuer, whose signatures use SHA-384', () => {
    const issuerKey = generateTestKey('brainpoolP384r1');
    const issuer = resignCertificate(readReal('renewcert1.der'), (tbs) => (tbs.subjectPublicKeyInfo = AsnConvert.parse(issuerKey.spki, SubjectPublicKeyInfo)), issuerKey, 'SHA-384');
    const signed = resignCertificate(readReal('renewcert0.der'), () => {}, issuerKey, 'SHA-256');
    expect(errorRules(lintCertificate(signed, { issuer }).findings)).toEqual(['signature.hash']);
  });

  it('several violations are all reported', () => {
    const result = lintCertificate(
      mutate('tls.cer', (tbs) => {
        setExtension(tbs, SAN);
        setExtension(tbs, KEY_USAGE, ext.keyUsage(['digitalSignature'], false));
        setAttribute(tbs.subject, '2.5.4.3', 'TEN.MAKLIEF');
        tbs.subject.push(new RelativeDistinguishedName([new AttributeTypeAndValue({ type: '2.5.4.11', value: new AttributeValue({ printableString: '2' }) })]));
      }),
    );
    expect(result.ok).toBe(false);
    expect(errorRules(result.findings)).toEqual(['ext.keyUsage.critical', 'ext.san.required', 'name.cn.role', 'name.ou.gln']);
  });
});
