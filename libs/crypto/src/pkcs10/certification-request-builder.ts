/**
 * Builds a PKCS#10 request signed by a key in the HSM: how a sub-CA asks the root to certify its new key, and how
 * tests make requests for keys whose private half never leaves the token.
 */
import type { HashAlgorithm, Signer } from '@smpki/hsm';
import { derContext, derInteger, derOid, derSequence, derTlv } from '../der/der-writer';
import { DerTag } from '../der/der-tags';
import { Pkcs9Oids } from '../oids';
import { signatureAlgorithmForCurve } from '../signature-algorithm';
import { encodeExtensions, type CertificateExtension } from '../x509/certificate-extension';
import { nameDer, type NameInput } from '../x509/name';
import { encodeSignedStructure, signTbs } from '../x509/signed-structure';

export interface CertificationRequestInput {
  subject: NameInput;
  /** Requested extensions (PKCS#9 extensionRequest attribute); none by default. */
  extensions?: readonly CertificateExtension[];
  /** Overrides the hash that follows the key's curve. */
  hash?: HashAlgorithm;
}

/** The request DER, self-signed with `signer` (its public key is the requested key). */
export async function createCertificationRequest(input: CertificationRequestInput, signer: Signer): Promise<Buffer> {
  const algorithm = signatureAlgorithmForCurve(signer.curve, input.hash);
  const extensions = input.extensions ?? [];
  const attributes = extensions.length > 0 ? [derSequence(derOid(Pkcs9Oids.extensionRequest), derTlv(DerTag.SET, encodeExtensions(extensions)))] : [];
  const info = derSequence(derInteger(0), nameDer(input.subject), signer.publicKey.spki, derContext(0, true, ...attributes));
  return encodeSignedStructure(info, algorithm, await signTbs(info, signer, algorithm));
}
