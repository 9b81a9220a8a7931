/**
 * The fast certificate builder: encodes the TBSCertificate with the DER writer (a few microseconds; per-CA parts
 * such as the issuer name and constant extensions are encoded once and cached) and signs it with the
 * key-manager Signer. The signature algorithm follows the issuer key: brainpoolP384r1 -> ecdsa-with-SHA384,
 * brainpoolP512r1 -> SHA-512, brainpoolP256r1 / P-256 -> SHA-256, unless `hash` overrides it.
 */
import type { HashAlgorithm, Signer } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { asBuffer, readWhole } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { derContext, derInteger, derSequence, derTlv, derTime } from '../der/der-writer';
import { signatureAlgorithmForCurve, type SignatureAlgorithm } from '../signature-algorithm';
import { encodeExtensions } from './certificate-extension';
import type { CertificateTemplate, Validity } from './certificate-template';
import { nameDer } from './name';
import { serialNumberContents } from './serial-number';
import { encodeSignedStructure, signTbs } from './signed-structure';

const VERSION_3 = derContext(0, true, derInteger(2));

export function encodeValidity(validity: Validity, what = 'validity'): Buffer {
  const { notBefore, notAfter } = validity;
  if (!(notBefore instanceof Date) || !(notAfter instanceof Date) || Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new CryptoInputError('validity.invalid', `${what}: notBefore and notAfter must be valid dates`);
  }
  if (Math.floor(notBefore.getTime() / 1000) >= Math.floor(notAfter.getTime() / 1000)) {
    throw new CryptoInputError('validity.invalid', `${what}: notBefore ${notBefore.toISOString()} is not before notAfter ${notAfter.toISOString()}`);
  }
  return derSequence(derTime(notBefore), derTime(notAfter));
}

/** DER TBSCertificate (version 3) of a template, for `signatureAlgorithm`. */
export function encodeTbsCertificate(template: CertificateTemplate, signatureAlgorithm: SignatureAlgorithm): Buffer {
  const spki = asBuffer(template.subjectPublicKeyInfo);
  readWhole(spki, DerTag.SEQUENCE, 'subjectPublicKeyInfo');
  return derSequence(
    VERSION_3,
    derTlv(DerTag.INTEGER, serialNumberContents(template.serialNumber)),
    signatureAlgorithm.der,
    nameDer(template.issuer),
    encodeValidity(template.validity),
    nameDer(template.subject),
    spki,
    ...(template.extensions.length > 0 ? [derContext(3, true, encodeExtensions(template.extensions))] : []),
  );
}

export interface IssueOptions {
  /** Overrides the hash that follows the issuer key's curve. */
  hash?: HashAlgorithm;
}

/** Encodes the template and signs it with the issuer's key; returns the certificate DER. */
export async function issueCertificate(template: CertificateTemplate, signer: Signer, options: IssueOptions = {}): Promise<Buffer> {
  const algorithm = signatureAlgorithmForCurve(signer.curve, options.hash);
  const tbs = encodeTbsCertificate(template, algorithm);
  return encodeSignedStructure(tbs, algorithm, await signTbs(tbs, signer, algorithm));
}
