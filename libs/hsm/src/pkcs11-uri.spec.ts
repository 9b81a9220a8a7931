import { HsmError } from './hsm-error';
import { formatPkcs11Uri, parsePkcs11Uri } from './pkcs11-uri';

describe('parsePkcs11Uri', () => {
  it('reads token and object', () => {
    expect(parsePkcs11Uri('pkcs11:token=smpki;object=calibration-ca-2026')).toEqual({ token: 'smpki', object: 'calibration-ca-2026' });
  });

  it('decodes percent-encoding, id bytes and type', () => {
    const uri = parsePkcs11Uri('pkcs11:token=My%20Token;object=a%3Bb;id=%01%ff;type=private;serial=42');
    expect(uri).toEqual({ token: 'My Token', object: 'a;b', id: Buffer.from([1, 255]), type: 'private', serial: '42' });
  });

  it('accepts the RFC 7512 examples with library and slot attributes', () => {
    const uri = parsePkcs11Uri('pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;library-version=1');
    expect(uri.token).toBe('The Software PKCS#11 Softtoken');
    expect(uri.manufacturer).toBe('Snake Oil, Inc.');
    expect(uri.otherAttributes).toEqual({ 'library-version': '1' });
  });

  it.each([
    ['token=x;object=y', "must start with 'pkcs11:'"],
    ['pkcs11:token=x;token=y', "attribute 'token' appears twice"],
    ['pkcs11:token=x;colour=red', "unknown attribute 'colour'"],
    ['pkcs11:token=x;object', "path component 'object' is not name=value"],
    ['pkcs11:object=%zz', 'malformed percent-encoding'],
    ['pkcs11:type=secret', 'type must be one of'],
  ])('rejects %s', (uri, reason) => {
    expect(() => parsePkcs11Uri(uri)).toThrow(reason);
    expect(() => parsePkcs11Uri(uri)).toThrow(HsmError);
  });

  it('refuses a PIN in the URI without echoing it', () => {
    const attempt = () => parsePkcs11Uri('pkcs11:token=x;object=y?pin-value=secret-1234');
    expect(attempt).toThrow('must not carry a PIN');
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-1234');
    }
  });
});

describe('formatPkcs11Uri', () => {
  it('formats token and object plainly', () => {
    expect(formatPkcs11Uri({ token: 'smpki', object: 'calibration-ca-2026' })).toBe('pkcs11:token=smpki;object=calibration-ca-2026');
  });

  it('encodes separators, spaces, non-ASCII and the id, and round-trips', () => {
    const parts = { token: 'my token', object: 'a;b/ü?', id: Buffer.from('00ab', 'hex'), type: 'secret-key' as const };
    const uri = formatPkcs11Uri(parts);
    expect(uri).toBe('pkcs11:token=my%20token;object=a%3Bb%2F%C3%BC%3F;id=%00%AB;type=secret-key');
    expect(parsePkcs11Uri(uri)).toEqual(parts);
  });
});
