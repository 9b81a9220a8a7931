/**
 * SM-PKI initial requests: the real one parses and all three proofs of possession verify; tampered and unwanted
 * requests are refused with the rule that names why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentInfo } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { CryptoInputError } from '../../libs/crypto/src/crypto-input-error';
import { CertReqMessages, ProofOfPossession } from '../../libs/crypto/src/crmf/asn1';
import { CrmfInputError } from '../../libs/crypto/src/crmf/crmf-input-error';
import { encodeInitialRequest, type CertificateRequestToEncode } from '../../libs/crypto/src/crmf/encode-cert-req-messages';
import { parseInitialRequest } from '../../libs/crypto/src/crmf/parse-initial-request';
import { parseSmPkiRequest } from '../../libs/crypto/src/crmf/parse-sm-pki-request';
import { smPkiRequestExtensions } from '../../libs/crypto/src/crmf/sm-pki-request-extensions';
import { generateRsaKey, generateTestKey, name, readReal, signWith, type TestCurve, type TestKey } from '../policy/support/test-certificates';

const initText = readReal('init.crmf').toString('latin1');
const initDer = Buffer.from(initText, 'base64');
const SUBJECT = name([['CN', 'Company-Test.EMT.MAK'], ['O', 'SM-Test-PKI-DE'], ['OU', '1234567890120'], ['C', 'DE'], ['serialNumber', '1']]);
const noRenewals = { signerStatus: () => 'unknown' as const };

function request(key: TestKey, publicKey: Uint8Array = key.spki): CertificateRequestToEncode {
  return { subject: SUBJECT, publicKey, extensions: smPkiRequestExtensions({ purpose: 'sig', publicKey, subjectAltName: { email: ['a@b.de'] } }), sign: signWith(key) };
}

function refusal(run: () => unknown): CryptoInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoInputError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Re-encodes an initial request after changing its CertReqMessages (leaves the POP signatures as they were). */
async function alteredRequest(change: (messages: CertReqMessages) => void, keys: TestKey[] = [generateTestKey()]): Promise<Buffer> {
  const der = await encodeInitialRequest(keys.map((key) => request(key)));
  const messages = AsnConvert.parse(AsnConvert.parse(der, ContentInfo).content, CertReqMessages);
  change(messages);
  return Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType: '0.4.0.127.0.7.4.1.1.1', content: AsnConvert.serialize(messages) })));
}

describe('the real initial request (init.crmf)', () => {
  const parsed = parseInitialRequest(initText);

  it('holds three requests, ENC, SIG and TLS, each on brainpoolP256r1 with a verified ecdsa-with-SHA256 proof', () => {
    expect(parsed.kind).toBe('initial');
    expect(parsed.requests.map((r) => r.purpose)).toEqual(['enc', 'sig', 'tls']);
    for (const r of parsed.requests) {
      expect(r.publicKey.curve).toBe('brainpoolP256r1');
      expect(r.proofOfPossession).toEqual({ method: 'signature', hash: 'SHA-256' });
      expect(r.subject.toString()).toBeDefined();
    }
  });

  it('gives the CA what it needs per request: id, subject, key, requested extensions', () => {
    const [enc, sig, tls] = parsed.requests;
    // The client uses the key identifier as certReqId and requests it as subjectKeyIdentifier.
    expect(enc!.certReqId.toString(16)).toBe('f74233fa43e480ddfade5e35977ee2e5b52ca5a3');
    expect(sig!.certReqId.toString(16)).toBe('6674577778ff2152c4c683c5dd731c4c735cffd5');
    expect(tls!.extensions.map((e) => e.extnID)).toEqual(['2.5.29.14', '2.5.29.17', '2.5.29.15', '2.5.29.37']);
    expect(AsnConvert.parse(sig!.subjectDer, Name)[0]![0]!.value.toString()).toBe('Company-Test.EMT.MAK');
    expect(sig!.publicKey.point).toHaveLength(65);
    expect(sig!.publicKey.spki.subarray(0, 4).toString('hex')).toBe('305a3014');
    expect(sig!.validity).toBeUndefined();
  });

  it('is read from base64 text, the file as bytes, DER and PEM armour alike', () => {
    const fromFile = parseInitialRequest(readReal('init.crmf'));
    const fromDer = parseInitialRequest(initDer);
    const fromPem = parseInitialRequest(`-----BEGIN CERTIFICATE REQUEST-----\n${initText}\n-----END CERTIFICATE REQUEST-----\n`);
    for (const other of [fromFile, fromDer, fromPem]) expect(other.requests.map((r) => r.certReqId)).toEqual(parsed.requests.map((r) => r.certReqId));
  });

  it('is dispatched by its content type', async () => {
    expect((await parseSmPkiRequest(initDer, noRenewals)).kind).toBe('initial');
  });
});

describe('refused initial requests', () => {
  it('crmf.pop-invalid: one flipped byte in a proof-of-possession signature', () => {
    const tampered = Buffer.from(initDer);
    const signature = tampered.indexOf(Buffer.from('3044022032db67d8', 'hex'));
    expect(signature).toBeGreaterThan(0);
    tampered[signature + 12]! ^= 0x01;
    const error = refusal(() => parseInitialRequest(tampered));
    expect(error.rule).toBe('crmf.pop-invalid');
    expect(error.message).toContain('request #1');
  });

  it('crmf.pop-invalid: a changed subject (the proof covers the whole request)', () => {
    const tampered = Buffer.from(initDer);
    const subject = tampered.indexOf(Buffer.from('Company-Test'));
    tampered[subject]! = 'K'.charCodeAt(0);
    expect(refusal(() => parseInitialRequest(tampered)).rule).toBe('crmf.pop-invalid');
  });

  it('crmf.pop-invalid: a proof signed by another key', async () => {
    const key = generateTestKey();
    const der = await encodeInitialRequest([{ ...request(key), sign: signWith(generateTestKey()) }]);
    expect(refusal(() => parseInitialRequest(der)).rule).toBe('crmf.pop-invalid');
  });

  it('key.algorithm-not-allowed: an RSA key', async () => {
    const rsa = generateRsaKey();
    const der = await encodeInitialRequest([request(rsa)]);
    const error = refusal(() => parseInitialRequest(der));
    expect(error.rule).toBe('key.algorithm-not-allowed');
    expect(error.message).toContain('RSA');
  });

  it('key.curve-not-allowed: secp256k1', async () => {
    const der = await encodeInitialRequest([request(generateTestKey('secp256k1' as TestCurve))]);
    expect(refusal(() => parseInitialRequest(der)).rule).toBe('key.curve-not-allowed');
  });

  describe('keys OpenSSL writes with explicit parameters or compressed points', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'smpki-crmf-keys-'));
      const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
      openssl('ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', 'key.pem');
      openssl('ec', '-in', 'key.pem', '-pubout', '-outform', 'DER', '-param_enc', 'explicit', '-out', 'explicit.der');
      openssl('ec', '-in', 'key.pem', '-pubout', '-outform', 'DER', '-conv_form', 'compressed', '-out', 'compressed.der');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('key.explicit-parameters', async () => {
      const der = await encodeInitialRequest([request(generateTestKey(), readFileSync(join(dir, 'explicit.der')))]);
      expect(refusal(() => parseInitialRequest(der)).rule).toBe('key.explicit-parameters');
    });

    it('key.point-invalid: a compressed point', async () => {
      const der = await encodeInitialRequest([request(generateTestKey(), readFileSync(join(dir, 'compressed.der')))]);
      expect(refusal(() => parseInitialRequest(der)).rule).toBe('key.point-invalid');
    });
  });

  it('crmf.pop-missing and crmf.pop-unsupported (raVerified)', async () => {
    const missing = await alteredRequest((messages) => (messages[0]!.popo = undefined));
    expect(refusal(() => parseInitialRequest(missing)).rule).toBe('crmf.pop-missing');
    const raVerified = await alteredRequest((messages) => (messages[0]!.popo = new ProofOfPossession({ raVerified: null })));
    const error = refusal(() => parseInitialRequest(raVerified));
    expect(error.rule).toBe('crmf.pop-unsupported');
    expect(error.message).toContain('raVerified');
  });

  it('crmf.template-field: a serial number chosen by the requester', async () => {
    const der = await alteredRequest((messages) => (messages[0]!.certReq.certTemplate.serialNumber = new Uint8Array([1, 2, 3]).buffer));
    expect(refusal(() => parseInitialRequest(der)).rule).toBe('crmf.template-field');
  });

  it('crmf.template-incomplete: no subject, or no public key', async () => {
    const noSubject = await alteredRequest((messages) => (messages[0]!.certReq.certTemplate.subject = undefined));
    expect(refusal(() => parseInitialRequest(noSubject)).rule).toBe('crmf.template-incomplete');
    const noKey = await alteredRequest((messages) => (messages[0]!.certReq.certTemplate.publicKey = undefined));
    expect(refusal(() => parseInitialRequest(noKey)).rule).toBe('crmf.template-incomplete');
  });

  it('crmf.duplicate-request-id', async () => {
    const key = generateTestKey();
    const der = await encodeInitialRequest([request(key), request(key)]);
    expect(refusal(() => parseInitialRequest(der)).rule).toBe('crmf.duplicate-request-id');
  });

  it('crmf.malformed: more requests than allowed', async () => {
    const keys = Array.from({ length: 4 }, () => generateTestKey());
    const der = await encodeInitialRequest(keys.map((key) => request(key)));
    expect(parseInitialRequest(der).requests).toHaveLength(4);
    expect(refusal(() => parseInitialRequest(der, { maxRequests: 3 })).rule).toBe('crmf.malformed');
  });

  it('crmf.unknown-content-type: a renewal to the initial parser, a SignedData to the dispatcher', async () => {
    expect(refusal(() => parseInitialRequest(readReal('renew.crmf'))).rule).toBe('crmf.unknown-content-type');
    const signedData = Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: new Uint8Array([0x30, 0x00]).buffer })));
    await expect(parseSmPkiRequest(signedData, noRenewals)).rejects.toMatchObject({ rule: 'crmf.unknown-content-type' });
  });

  it('crmf.malformed: truncated, trailing bytes, not base64, not a ContentInfo', () => {
    expect(refusal(() => parseInitialRequest(initDer.subarray(0, initDer.length - 40))).rule).toBe('crmf.malformed');
    expect(refusal(() => parseInitialRequest(Buffer.concat([initDer, Buffer.from([0x05, 0x00])]))).rule).toBe('crmf.malformed');
    expect(refusal(() => parseInitialRequest('this is not a request!')).rule).toBe('crmf.malformed');
    expect(refusal(() => parseInitialRequest(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))).rule).toBe('crmf.malformed');
    expect(refusal(() => parseInitialRequest(Buffer.from([0x30, 0x80, 0x06, 0x01]))).rule).toBe('crmf.malformed');
  });

  it('refusals are CrmfInputErrors or the shared key errors, both CryptoInputError', async () => {
    expect(refusal(() => parseInitialRequest('@@@'))).toBeInstanceOf(CrmfInputError);
    expect(refusal(() => parseInitialRequest(initDer.subarray(0, 100)))).toBeInstanceOf(CryptoInputError);
  });
});
