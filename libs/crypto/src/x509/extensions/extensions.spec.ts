/**
 * Each extension encoder against an independent encoder (@peculiar/asn1-x509 + AsnConvert) on the same values,
 * and each decoder against malformed input.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { encodeName } from '../name';
import { authorityInfoAccess, decodeAuthorityInfoAccess } from './authority-info-access';
import { authorityKeyIdentifier, decodeAuthorityKeyIdentifier } from './authority-key-identifier';
import { basicConstraints, decodeBasicConstraints } from './basic-constraints';
import { certificatePolicies, decodeCertificatePolicies } from './certificate-policies';
import { crlDistributionPoints, decodeCrlDistributionPoints } from './crl-distribution-points';
import { decodeExtendedKeyUsage, extendedKeyUsage } from './extended-key-usage';
import { decodeKeyUsage, keyUsage } from './key-usage';
import { decodeSubjectAltName, subjectAltName } from './subject-alt-name';
import { subjectKeyIdentifier } from './subject-key-identifier';

const serialize = (value: object) => Buffer.from(AsnConvert.serialize(value));
const uri = (value: string) => new asn.GeneralName({ uniformResourceIdentifier: value });

describe('certificate extensions', () => {
  it('basicConstraints: CA with pathLen, end entity as an empty SEQUENCE; critical by default', () => {
    expect(basicConstraints({ ca: true, pathLength: 0 }).value).toEqual(serialize(new asn.BasicConstraints({ cA: true, pathLenConstraint: 0 })));
    expect(basicConstraints({ ca: false }).value.toString('hex')).toBe('3000');
    expect(basicConstraints({ ca: false }).critical).toBe(true);
    expect(basicConstraints({ ca: false }, { critical: false }).critical).toBe(false);
    expect(decodeBasicConstraints(basicConstraints({ ca: true, pathLength: 3 }).value)).toEqual({ ca: true, pathLength: 3 });
    expect(() => basicConstraints({ ca: false, pathLength: 0 })).toThrow(TypeError);
  });

  it('keyUsage: the named bits, trailing zero bits dropped', () => {
    expect(keyUsage(['digitalSignature']).value).toEqual(serialize(new asn.KeyUsage(asn.KeyUsageFlags.digitalSignature)));
    expect(keyUsage(['keyCertSign', 'cRLSign']).value.toString('hex')).toBe('03020106');
    expect(keyUsage(['keyEncipherment', 'keyAgreement']).value).toEqual(serialize(new asn.KeyUsage(asn.KeyUsageFlags.keyEncipherment | asn.KeyUsageFlags.keyAgreement)));
    expect(keyUsage(['decipherOnly']).value.toString('hex')).toBe('0303070080');
    expect(decodeKeyUsage(keyUsage(['keyCertSign', 'digitalSignature', 'decipherOnly']).value)).toEqual(['digitalSignature', 'keyCertSign', 'decipherOnly']);
  });

  it('extendedKeyUsage: names or OIDs', () => {
    expect(extendedKeyUsage(['clientAuth', 'serverAuth']).value).toEqual(serialize(new asn.ExtendedKeyUsage(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1'])));
    expect(decodeExtendedKeyUsage(extendedKeyUsage(['clientAuth', '1.2.3.4']).value)).toEqual(['1.3.6.1.5.5.7.3.2', '1.2.3.4']);
  });

  it('subjectAltName: email, URI, dNSName', () => {
    const ours = subjectAltName([{ email: 'a@b.de' }, { uri: 'https://x.de:443' }, { dns: 'x.de' }]);
    const theirs = new asn.SubjectAlternativeName([new asn.GeneralName({ rfc822Name: 'a@b.de' }), uri('https://x.de:443'), new asn.GeneralName({ dNSName: 'x.de' })]);
    expect(ours.value).toEqual(serialize(theirs));
    expect(ours.critical).toBe(false);
    expect(decodeSubjectAltName(ours.value)).toEqual([
      { type: 'email', value: 'a@b.de' },
      { type: 'uri', value: 'https://x.de:443' },
      { type: 'dns', value: 'x.de' },
    ]);
  });

  it('authority and subject key identifiers', () => {
    const keyId = Buffer.alloc(20, 0xab);
    expect(authorityKeyIdentifier(keyId).value).toEqual(serialize(new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(keyId) })));
    expect(subjectKeyIdentifier(keyId).value).toEqual(serialize(new asn.SubjectKeyIdentifier(keyId)));
    const full = authorityKeyIdentifier({ keyIdentifier: keyId, issuer: [{ directoryName: [{ type: 'CN', value: 'Root' }] }], serialNumber: 0x80n });
    const decoded = decodeAuthorityKeyIdentifier(full.value);
    expect(decoded.keyIdentifier).toEqual(keyId);
    expect(decoded.serialNumber).toEqual(Buffer.of(0x80));
    expect(decoded.issuer![0]!.type).toBe('directoryName');
    expect(() => authorityKeyIdentifier({ keyIdentifier: keyId, serialNumber: 1n })).toThrow(TypeError);
  });

  it('cRLDistributionPoints: LDAP and HTTP URIs, and cRLIssuer for indirect CRLs', () => {
    const crlIssuer = [{ type: 'CN', value: 'SM-Test-Root.CA.CRL-S' }, { type: 'O', value: 'SM-Test-PKI-DE' }, { type: 'C', value: 'DE' }] as const;
    const ours = crlDistributionPoints([{ fullName: ['http://crl.example/root.crl', 'ldap://ldap.example/CN=Root?certificateRevocationList'], crlIssuer: [{ directoryName: crlIssuer }] }]);
    const theirs = new asn.CRLDistributionPoints([
      new asn.DistributionPoint({
        distributionPoint: new asn.DistributionPointName({ fullName: [uri('http://crl.example/root.crl'), uri('ldap://ldap.example/CN=Root?certificateRevocationList')] }),
        cRLIssuer: [new asn.GeneralName({ directoryName: AsnConvert.parse(encodeName(crlIssuer), asn.Name) })],
      }),
    ]);
    expect(ours.value).toEqual(serialize(theirs));
    const [point] = decodeCrlDistributionPoints(ours.value);
    expect(point!.fullName!.map((name) => name.type === 'uri' && name.value)).toEqual(['http://crl.example/root.crl', 'ldap://ldap.example/CN=Root?certificateRevocationList']);
    expect(point!.crlIssuer![0]!.type === 'directoryName' && point!.crlIssuer![0]!.value.toString()).toBe('C=DE,O=SM-Test-PKI-DE,CN=SM-Test-Root.CA.CRL-S');
    const withReasons = crlDistributionPoints([{ fullName: ['http://x/y.crl'], reasons: ['keyCompromise', 'cACompromise'] }]);
    expect(decodeCrlDistributionPoints(withReasons.value)[0]!.reasons).toEqual(['keyCompromise', 'cACompromise']);
  });

  it('authorityInfoAccess: caIssuers and OCSP', () => {
    const ours = authorityInfoAccess({ caIssuers: ['http://pki.example/ca.cer'] });
    const theirs = new asn.AuthorityInfoAccessSyntax([new asn.AccessDescription({ accessMethod: '1.3.6.1.5.5.7.48.2', accessLocation: uri('http://pki.example/ca.cer') })]);
    expect(ours.value).toEqual(serialize(theirs));
    expect(decodeAuthorityInfoAccess(authorityInfoAccess({ caIssuers: ['http://a/ca.cer'], ocsp: ['http://a/ocsp'] }).value).map((access) => access.method)).toEqual([
      '1.3.6.1.5.5.7.48.1',
      '1.3.6.1.5.5.7.48.2',
    ]);
  });

  it('certificatePolicies: the SM-PKI policy with a CPS URI', () => {
    const ours = certificatePolicies([{ policy: '0.4.0.127.0.7.3.4.1.1.1', cps: 'https://www.bsi.bund.de' }, { policy: '2.5.29.32.0' }]);
    const theirs = new asn.CertificatePolicies([
      new asn.PolicyInformation({
        policyIdentifier: '0.4.0.127.0.7.3.4.1.1.1',
        policyQualifiers: [new asn.PolicyQualifierInfo({ policyQualifierId: '1.3.6.1.5.5.7.2.1', qualifier: AsnConvert.serialize(new asn.DisplayText({ ia5String: 'https://www.bsi.bund.de' })) })],
      }),
      new asn.PolicyInformation({ policyIdentifier: '2.5.29.32.0' }),
    ]);
    expect(ours.value).toEqual(serialize(theirs));
    expect(decodeCertificatePolicies(ours.value)).toEqual([
      { policy: '0.4.0.127.0.7.3.4.1.1.1', cps: ['https://www.bsi.bund.de'], otherQualifiers: [] },
      { policy: '2.5.29.32.0', cps: [], otherQualifiers: [] },
    ]);
  });

  it('decoders refuse malformed values with extension.malformed naming the extension', () => {
    const malformed = Buffer.of(0x30, 0x05, 0x01);
    for (const decode of [decodeBasicConstraints, decodeKeyUsage, decodeExtendedKeyUsage, decodeSubjectAltName, decodeAuthorityKeyIdentifier, decodeCrlDistributionPoints, decodeAuthorityInfoAccess, decodeCertificatePolicies]) {
      expect(() => decode(malformed)).toThrow(expect.objectContaining({ rule: 'extension.malformed' }));
    }
    expect(() => decodeBasicConstraints(Buffer.of(0x30, 0x03, 0x01, 0x01, 0x01))).toThrow(/basicConstraints: .*0xFF/);
  });
});
