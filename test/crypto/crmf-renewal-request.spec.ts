/**
 * SM-PKI renewal requests: the real one (signed with the old SIG key of renewcert0.der, issued by the sub-CA
 * renewcert1.der) verifies; its signer is handed to the CA's status hook; every broken link of the chain of
 * proof is refused by name.
 */
import { CryptoInputError } from '../../libs/crypto/src/crypto-input-error';
import { parseRenewalRequest, type RenewalRequestOptions } from '../../libs/crypto/src/crmf/parse-renewal-request';
import { parseSmPkiRequest } from '../../libs/crypto/src/crmf/parse-sm-pki-request';
import type { RenewalSigner } from '../../libs/crypto/src/crmf/renewal-signer';
import { readReal } from '../policy/support/test-certificates';
import { createTestPki } from '../policy/support/test-pki';

const renewDer = Buffer.from(readReal('renew.crmf').toString('latin1'), 'base64');
const oldCertificate = readReal('renewcert0.der');
const subCaCertificate = readReal('renewcert1.der');
/** renewcert0.der is valid from 2024-01-22T14:45:57Z to 2026-01-22T23:59:59Z. */
const WHILE_VALID = new Date('2025-06-01T12:00:00Z');
const good: RenewalRequestOptions = { now: WHILE_VALID, signerStatus: () => 'good' };

async function refusal(input: Uint8Array, options: RenewalRequestOptions = good): Promise<CryptoInputError> {
  try {
    await parseRenewalRequest(input, options);
  } catch (error) {
    if (error instanceof CryptoInputError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** The request without the bytes of one element (the enclosing ones have indefinite lengths: no fix-up needed). */
function without(part: Buffer): Buffer {
  const at = renewDer.indexOf(part);
  expect(at).toBeGreaterThan(0);
  return Buffer.concat([renewDer.subarray(0, at), renewDer.subarray(at + part.length)]);
}

function flipped(marker: string, offset: number): Buffer {
  const copy = Buffer.from(renewDer);
  const at = copy.indexOf(Buffer.from(marker, 'hex'));
  expect(at).toBeGreaterThan(0);
  copy[at + offset]! ^= 0x01;
  return copy;
}

describe('the real renewal request (renew.crmf)', () => {
  it('verifies and yields the new requests and the old signature certificate', async () => {
    const seen: RenewalSigner[] = [];
    const renewal = await parseRenewalRequest(renewDer, { now: WHILE_VALID, signerStatus: (signer) => (seen.push(signer), 'good') });
    expect(renewal.kind).toBe('renewal');
    expect(renewal.requests.map((r) => r.purpose)).toEqual(['enc', 'sig', 'tls']);
    expect(renewal.requests.every((r) => r.proofOfPossession.hash === 'SHA-256')).toBe(true);
    expect(renewal.signer.der.equals(oldCertificate)).toBe(true);
    expect(renewal.signer.serialNumber).toBe('1f9c35fc12c486c5f2176b8d1e108951');
    expect(renewal.signer.issuer.der.equals(subCaCertificate)).toBe(true);
    expect(renewal.signer.issuer.trusted).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.serialNumber).toBe('1f9c35fc12c486c5f2176b8d1e108951');
  });

  it('marks the issuer trusted when it is one of the CA certificates the caller trusts', async () => {
    const renewal = await parseRenewalRequest(renewDer, { ...good, trustedIssuers: [subCaCertificate] });
    expect(renewal.signer.issuer.trusted).toBe(true);
  });

  it('waits for an asynchronous status hook (the CA asks its database)', async () => {
    const renewal = await parseRenewalRequest(renewDer, { now: WHILE_VALID, signerStatus: async () => new Promise((resolve) => setTimeout(() => resolve('good'), 5)) });
    expect(renewal.requests).toHaveLength(3);
  });

  it('is dispatched by its content type', async () => {
    expect((await parseSmPkiRequest(renewDer, good)).kind).toBe('renewal');
  });
});

describe('refused renewal requests', () => {
  it('crmf.signature-invalid: a flipped byte in the SignedData signature', async () => {
    expect((await refusal(flipped('3044022066a94e01', 10))).rule).toBe('crmf.signature-invalid');
  });

  it('crmf.signer-not-found: the signer certificate removed', async () => {
    expect((await refusal(without(oldCertificate))).rule).toBe('crmf.signer-not-found');
  });

  it('crmf.signer-issuer-not-found: the sub-CA certificate removed and none trusted', async () => {
    expect((await refusal(without(subCaCertificate))).rule).toBe('crmf.signer-issuer-not-found');
  });

  it('crmf.signer-untrusted: issued by a CA other than the trusted ones', async () => {
    const otherCa = createTestPki().subCa.certificate;
    expect((await refusal(renewDer, { ...good, trustedIssuers: [otherCa] })).rule).toBe('crmf.signer-untrusted');
  });

  it('crmf.signer-certificate-invalid: the signer certificate altered (its issuer signature no longer verifies)', async () => {
    // A byte of the old certificate's serial number: the SignedData signature still verifies with its key.
    expect((await refusal(flipped('1f9c35fc12c486c5f2176b8d1e108951', 15))).rule).toBe('crmf.signer-certificate-invalid');
  });

  it('crmf.signed-attributes: the signed content changed (message digest)', async () => {
    // Inside the encapsulated CertReqMessages: a byte of the first subject name.
    expect((await refusal(flipped('436f6d70616e792d54657374', 0))).rule).toBe('crmf.signed-attributes');
  });

  it('crmf.signer-expired and crmf.signer-not-yet-valid', async () => {
    const expired = await refusal(renewDer, { signerStatus: () => 'good', now: new Date('2026-11-21T00:00:00Z') });
    expect(expired.rule).toBe('crmf.signer-expired');
    expect(expired.message).toContain('2026-01-22T23:59:59');
    expect((await refusal(renewDer, { signerStatus: () => 'good', now: new Date('2023-01-01T00:00:00Z') })).rule).toBe('crmf.signer-not-yet-valid');
  });

  it('crmf.signer-revoked and crmf.signer-unknown, from the status hook', async () => {
    expect((await refusal(renewDer, { now: WHILE_VALID, signerStatus: () => 'revoked' })).rule).toBe('crmf.signer-revoked');
    expect((await refusal(renewDer, { now: WHILE_VALID, signerStatus: async () => 'unknown' as const })).rule).toBe('crmf.signer-unknown');
  });

  it('does not ask the status hook about a signer whose signature failed', async () => {
    const hook = jest.fn(() => 'good' as const);
    await refusal(flipped('3044022066a94e01', 10), { now: WHILE_VALID, signerStatus: hook });
    expect(hook).not.toHaveBeenCalled();
  });

  it('crmf.unknown-content-type: an initial request to the renewal parser', async () => {
    expect((await refusal(readReal('init.crmf'))).rule).toBe('crmf.unknown-content-type');
  });

  it('crmf.malformed: truncated SignedData', async () => {
    expect((await refusal(renewDer.subarray(0, 3000))).rule).toBe('crmf.malformed');
  });
});
