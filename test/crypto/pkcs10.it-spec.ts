/**
 * PKCS#10 requests made by `openssl req` are parsed and their proof of possession verified; requests with an RSA
 * key, explicit curve parameters, a curve outside the allowed set, a broken signature or broken DER are refused
 * with the CryptoInputError rule a problem document names. Requests we build are accepted by `openssl req -verify`.
 */
import {
  createCertificationRequest,
  CryptoInputError,
  decodeSubjectAltName,
  parseCertificationRequest,
  subjectAltName,
  type CryptoInputRule,
} from '@smpki/crypto';
import { SoftwareSigner } from '../support/software-signer';
import { OpensslWorkspace } from './support/openssl';
import { endEntityName } from './support/test-pki';

describe('PKCS#10 requests', () => {
  const workspace = new OpensslWorkspace();
  afterAll(() => workspace.remove());

  function opensslRequest(name: string, keyArgs: string[], reqArgs: string[] = []): Buffer {
    workspace.runBinary(keyArgs);
    return workspace.runBinary([
      'req', '-new', '-key', `${name}.key`, '-subj', '/CN=Company-Test.EMT.MAK/O=SM-Test-PKI-DE/OU=1234567890120/C=DE', '-outform', 'DER', ...reqArgs,
    ]);
  }

  function refusal(input: Uint8Array | string): CryptoInputError {
    try {
      parseCertificationRequest(input);
    } catch (error) {
      if (error instanceof CryptoInputError) return error;
      throw error;
    }
    throw new Error('the request was accepted');
  }

  function expectRule(input: Uint8Array | string, rule: CryptoInputRule, message?: RegExp): void {
    const error = refusal(input);
    expect(error.rule).toBe(rule);
    if (message) expect(error.message).toMatch(message);
  }

  it('parses a brainpoolP256r1 request from openssl req and verifies its proof of possession', () => {
    const der = opensslRequest('bp256', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'bp256.key'], [
      '-addext', 'subjectAltName=email:test@company.invalid,URI:https://maco.company.invalid/',
    ]);
    const request = parseCertificationRequest(der);
    expect(request.publicKey.curve).toBe('brainpoolP256r1');
    expect(request.signatureAlgorithm.name).toBe('ecdsa-with-SHA256');
    expect(request.subject.toString()).toBe('C=DE,OU=1234567890120,O=SM-Test-PKI-DE,CN=Company-Test.EMT.MAK');
    expect(request.subject.get('OU')).toBe('1234567890120');
    const san = request.requestedExtensions.find((extension) => extension.oid === '2.5.29.17');
    expect(decodeSubjectAltName(san!.value)).toEqual([
      { type: 'email', value: 'test@company.invalid' },
      { type: 'uri', value: 'https://maco.company.invalid/' },
    ]);
    // PEM input gives the same result.
    expect(parseCertificationRequest(request.toPem()).publicKey.point).toEqual(request.publicKey.point);
  });

  it.each([
    ['brainpoolP384r1', '-sha384', 'ecdsa-with-SHA384'],
    ['brainpoolP512r1', '-sha512', 'ecdsa-with-SHA512'],
    ['prime256v1', '-sha256', 'ecdsa-with-SHA256'],
  ])('accepts %s requests signed with %s', (curve, digest, algorithm) => {
    const request = parseCertificationRequest(opensslRequest(curve, ['ecparam', '-name', curve, '-genkey', '-noout', '-out', `${curve}.key`], [digest]));
    expect(request.signatureAlgorithm.name).toBe(algorithm);
  });

  it('refuses an RSA key with key.algorithm-not-allowed', () => {
    expectRule(opensslRequest('rsa', ['genrsa', '-out', 'rsa.key', '2048']), 'key.algorithm-not-allowed', /RSA keys/);
  });

  it('refuses explicit curve parameters with key.explicit-parameters', () => {
    const der = opensslRequest('explicit', ['ecparam', '-name', 'brainpoolP256r1', '-param_enc', 'explicit', '-genkey', '-noout', '-out', 'explicit.key']);
    expectRule(der, 'key.explicit-parameters');
  });

  it('refuses curves outside the allowed set with key.curve-not-allowed', () => {
    expectRule(opensslRequest('k1', ['ecparam', '-name', 'secp256k1', '-genkey', '-noout', '-out', 'k1.key']), 'key.curve-not-allowed', /secp256k1/);
    expectRule(opensslRequest('p521', ['ecparam', '-name', 'secp521r1', '-genkey', '-noout', '-out', 'p521.key']), 'key.curve-not-allowed', /P-521/);
    const p256 = opensslRequest('p256only', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'p256only.key']);
    expect(() => parseCertificationRequest(p256, { allowedCurves: ['brainpoolP256r1'] })).toThrow(expect.objectContaining({ rule: 'key.curve-not-allowed' }));
  });

  it('refuses a request whose signature does not verify with pop.signature-invalid', () => {
    const der = opensslRequest('pop', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'pop.key']);
    const alteredSubject = Buffer.from(der);
    const cn = alteredSubject.indexOf('Company-Test');
    alteredSubject[cn] = 'X'.charCodeAt(0);
    expectRule(alteredSubject, 'pop.signature-invalid', /proof of possession/);
    const alteredSignature = Buffer.from(der);
    alteredSignature[alteredSignature.length - 1]! ^= 0x01;
    expectRule(alteredSignature, 'pop.signature-invalid');
  });

  it('refuses SHA-1 signatures with signature.algorithm-not-allowed', () => {
    expectRule(opensslRequest('sha1', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'sha1.key'], ['-sha1']), 'signature.algorithm-not-allowed', /SHA1/);
  });

  it('refuses malformed input with der.malformed or pem.malformed', () => {
    const der = opensslRequest('malformed', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'malformed.key']);
    expectRule(der.subarray(0, der.length - 10), 'der.malformed', /truncated/);
    expectRule(Buffer.concat([der, Buffer.of(0)]), 'der.malformed', /trailing/);
    expectRule(Buffer.from('not a request'), 'der.malformed');
    expectRule(Buffer.alloc(0), 'der.malformed');
    expectRule('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'pem.malformed', /CERTIFICATE REQUEST/);
    expectRule('-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n', 'pem.malformed');
  });

  it('builds requests with an HSM-style signer that openssl req -verify accepts', async () => {
    for (const curve of ['brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1'] as const) {
      const signer = SoftwareSigner.generate(curve);
      const der = await createCertificationRequest({ subject: endEntityName(), extensions: [subjectAltName([{ email: 'ca@test.invalid' }])] }, signer);
      workspace.write(`built-${curve}.der`, der);
      const result = workspace.run(['req', '-in', `built-${curve}.der`, '-inform', 'DER', '-verify', '-noout']);
      expect(result.output).toMatch(/verify OK/);
      const parsed = parseCertificationRequest(der);
      expect(parsed.publicKey.curve).toBe(curve);
      expect(parsed.requestedExtensions).toHaveLength(1);
    }
  });
});
