import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { crlNumber, decodeCrlNumber, decodeIssuingDistributionPoint, deltaCrlIndicator, issuingDistributionPoint } from './crl-extensions';
import { crlReasonCode, crlReasonOfCode } from './crl-reason';

const serialize = (value: object) => Buffer.from(AsnConvert.serialize(value));

describe('CRL extensions', () => {
  it('cRLNumber and deltaCRLIndicator (critical), up to 20 octets', () => {
    expect(crlNumber(7).value).toEqual(serialize(new asn.CRLNumber(7)));
    expect(crlNumber(7).critical).toBe(false);
    const delta = deltaCrlIndicator(2n ** 100n);
    expect(delta.critical).toBe(true);
    expect(decodeCrlNumber(delta.value)).toBe(2n ** 100n);
    expect(() => crlNumber(2n ** 160n)).toThrow(/20 octets/);
    expect(() => crlNumber(-1)).toThrow(RangeError);
  });

  it('issuingDistributionPoint with indirectCRL, as the independent encoder writes it', () => {
    const ours = issuingDistributionPoint({ distributionPoint: ['http://crl.example/root.crl'], indirectCrl: true });
    const theirs = new asn.IssuingDistributionPoint({
      distributionPoint: new asn.DistributionPointName({ fullName: [new asn.GeneralName({ uniformResourceIdentifier: 'http://crl.example/root.crl' })] }),
      indirectCRL: true,
    });
    expect(ours.value).toEqual(serialize(theirs));
    expect(ours.critical).toBe(true);
    expect(decodeIssuingDistributionPoint(ours.value)).toEqual({
      distributionPoint: [{ type: 'uri', value: 'http://crl.example/root.crl' }],
      onlyContainsUserCerts: false,
      onlyContainsCaCerts: false,
      indirectCrl: true,
      onlyContainsAttributeCerts: false,
    });
    expect(decodeIssuingDistributionPoint(issuingDistributionPoint({ onlyContainsCaCerts: true, onlySomeReasons: ['keyCompromise'] }).value)).toMatchObject({
      onlyContainsCaCerts: true,
      onlySomeReasons: ['keyCompromise'],
    });
    expect(() => issuingDistributionPoint({ onlyContainsCaCerts: true, onlyContainsUserCerts: true })).toThrow(/at most one/);
  });

  it('reason codes', () => {
    expect(crlReasonCode('removeFromCRL')).toBe(8);
    expect(crlReasonOfCode(1)).toBe('keyCompromise');
    expect(crlReasonOfCode(7)).toBeUndefined();
  });
});
