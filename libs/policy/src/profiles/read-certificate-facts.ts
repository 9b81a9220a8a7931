/**
 * Certificates to {@link CertificateFacts}. The certificate is parsed with @peculiar/asn1-x509 (structure and the
 * exact signed bytes); the TBSCertificate's fields are then read in place with @smpki/crypto's DER reader
 * (./fact-decoders), which is what the pre-issuance path uses too. An extension that does not decode is recorded as malformed rather than
 * thrown, so the linter still reports everything else.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import type { CertificateFacts } from './certificate-facts';
import { decodeTbsCertificate } from './fact-decoders';
import { hashOfSignatureOid } from './vocabulary';

/** The input is not a certificate at all (the linter reports it as `certificate.malformed`). */
export class CertificateFactsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateFactsError';
  }
}

/** Facts of a certificate given as DER, or PEM (text, or bytes starting with `-----BEGIN`). */
export function readCertificateFacts(input: Uint8Array | string): CertificateFacts {
  const der = certificateDer(input);
  let certificate: Certificate;
  try {
    certificate = AsnConvert.parse(der, Certificate);
  } catch (error) {
    throw new CertificateFactsError(`not a DER X.509 certificate: ${(error as Error).message}`, { cause: error });
  }
  const tbs = Buffer.from(certificate.tbsCertificateRaw ?? AsnConvert.serialize(certificate.tbsCertificate));
  const facts = readTbsCertificateFacts(tbs);
  const outerOid = certificate.signatureAlgorithm.algorithm;
  return {
    ...facts,
    signatureAlgorithmOid: outerOid,
    signatureAlgorithmMismatch: outerOid !== facts.signatureAlgorithmOid,
    signatureHash: hashOfSignatureOid(outerOid),
    signed: { tbs, signature: Buffer.from(certificate.signatureValue) },
  };
}

/** Facts of a TBSCertificate (DER), e.g. one built for signing. */
export function readTbsCertificateFacts(tbs: Uint8Array): CertificateFacts {
  try {
    return decodeTbsCertificate(Buffer.from(tbs.buffer, tbs.byteOffset, tbs.byteLength));
  } catch (error) {
    throw new CertificateFactsError(`the TBSCertificate cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

function certificateDer(input: Uint8Array | string): Uint8Array {
  const text = typeof input === 'string' ? input : input.subarray(0, 10).every((octet) => octet >= 0x20 && octet < 0x7f) ? Buffer.from(input).toString('latin1') : undefined;
  if (text === undefined) return input as Uint8Array;
  const match = PEM_CERTIFICATE.exec(text);
  if (!match) throw new CertificateFactsError('neither DER nor a PEM block labelled CERTIFICATE');
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}
