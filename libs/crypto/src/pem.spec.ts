import { derFromInput, fromPem, toPem } from './pem';

describe('PEM', () => {
  it('round-trips with 64-character lines and the OpenSSL CRL label', () => {
    const der = Buffer.alloc(100, 7);
    const pem = toPem(der, 'X509 CRL');
    expect(pem.split('\n')[0]).toBe('-----BEGIN X509 CRL-----');
    expect(pem.split('\n')[1]).toHaveLength(64);
    expect(fromPem(pem, ['X509 CRL'])).toEqual(der);
    expect(derFromInput(Buffer.from(pem), ['X509 CRL'])).toEqual(der);
    expect(derFromInput(der, ['X509 CRL'])).toBe(der);
  });

  it('picks the block with the wanted label and refuses anything else', () => {
    const text = `${toPem(Buffer.of(1), 'PUBLIC KEY')}${toPem(Buffer.of(2), 'CERTIFICATE')}`;
    expect(fromPem(text, ['CERTIFICATE'])).toEqual(Buffer.of(2));
    expect(() => fromPem(text, ['X509 CRL'])).toThrow(expect.objectContaining({ rule: 'pem.malformed' }));
    expect(() => fromPem('-----BEGIN CERTIFICATE-----\nA$==\n-----END CERTIFICATE-----', ['CERTIFICATE'])).toThrow(/not valid base64/);
  });
});
