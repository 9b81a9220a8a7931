/**
 * Certificate parsing: the DER is split into its fields by offsets (no object tree), names and extensions are
 * read into plain values, the well-known extensions decode on request. Signature verification uses the exact
 * signed bytes of the input and node:crypto, which does brainpool.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { DerSequenceReader, type Tlv } from '../der/der-reader';
import { contextTag, DerTag } from '../der/der-tags';
import { decodeSmallInteger, decodeUnsignedInteger } from '../der/der-values';
import { decodeTime } from '../der/der-time';
import { nodeHashName } from '../hash-algorithm';
import { parseSubjectPublicKeyInfo, type EcPublicKeyInfo, type SpkiParseOptions } from '../keys/subject-public-key-info';
import { CertificateExtensionOids } from '../oids';
import { derFromInput, toPem } from '../pem';
import { parseSignatureAlgorithm, type SignatureAlgorithm } from '../signature-algorithm';
import { verifyEcdsaSignature } from '../verify-signature';
import { parseExtensions, type CertificateExtension } from './certificate-extension';
import { decodeAuthorityInfoAccess, type AccessDescription } from './extensions/authority-info-access';
import { decodeAuthorityKeyIdentifier, type AuthorityKeyIdentifier } from './extensions/authority-key-identifier';
import { decodeBasicConstraints, type BasicConstraints } from './extensions/basic-constraints';
import { decodeCertificatePolicies, type PolicyInformation } from './extensions/certificate-policies';
import { decodeCrlDistributionPoints, type DistributionPoint } from './extensions/crl-distribution-points';
import { decodeExtendedKeyUsage } from './extensions/extended-key-usage';
import { decodeIssuerAltName } from './extensions/issuer-alt-name';
import { decodeKeyUsage, type KeyUsage } from './extensions/key-usage';
import { decodeSubjectAltName } from './extensions/subject-alt-name';
import { decodeSubjectKeyIdentifier } from './extensions/subject-key-identifier';
import type { GeneralName } from './general-name';
import { parseNameAt, type ParsedName } from './name';
import { assertSameAlgorithm, splitSignedStructure } from './signed-structure';

export class ParsedCertificate {
  /** 1, 2 or 3. */
  readonly version: number;
  /** Unsigned magnitude of the serial number. */
  readonly serialNumber: Buffer;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly issuer: ParsedName;
  readonly subject: ParsedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER. */
  readonly subjectPublicKeyInfo: Buffer;
  readonly extensions: readonly CertificateExtension[];
  /** The signed bytes (TBSCertificate), a view into `der`. */
  readonly tbs: Buffer;
  /** DER ECDSA-Sig-Value. */
  readonly signature: Buffer;

  constructor(readonly der: Buffer) {
    const signed = splitSignedStructure(der, 'Certificate');
    this.tbs = signed.tbs;
    this.signature = signed.signature;
    this.signatureAlgorithm = parseSignatureAlgorithm(signed.signatureAlgorithmDer, 'Certificate signatureAlgorithm');
    const what = 'TBSCertificate';
    const reader = new DerSequenceReader(der, signed.tbsTlv, what);
    const versionTlv = reader.optional(contextTag(0, true), 'version');
    this.version = versionTlv ? readVersion(der, versionTlv) : 1;
    const serial = reader.next(DerTag.INTEGER, 'serialNumber');
    this.serialNumber = decodeUnsignedInteger(der.subarray(serial.valueOffset, serial.end), `${what} serialNumber`);
    const algorithm = reader.next(DerTag.SEQUENCE, 'signature');
    assertSameAlgorithm(der.subarray(algorithm.offset, algorithm.end), signed.signatureAlgorithmDer, 'Certificate');
    this.issuer = parseNameAt(der, reader.next(DerTag.SEQUENCE, 'issuer'), `${what} issuer`);
    const validity = new DerSequenceReader(der, reader.next(DerTag.SEQUENCE, 'validity'), `${what} validity`);
    const notBefore = validity.nextAny('notBefore');
    const notAfter = validity.nextAny('notAfter');
    validity.end();
    this.notBefore = decodeTime(notBefore.tag, der.subarray(notBefore.valueOffset, notBefore.end), `${what} notBefore`);
    this.notAfter = decodeTime(notAfter.tag, der.subarray(notAfter.valueOffset, notAfter.end), `${what} notAfter`);
    this.subject = parseNameAt(der, reader.next(DerTag.SEQUENCE, 'subject'), `${what} subject`);
    const spki = reader.next(DerTag.SEQUENCE, 'subjectPublicKeyInfo');
    this.subjectPublicKeyInfo = der.subarray(spki.offset, spki.end);
    reader.optional(contextTag(1, false), 'issuerUniqueID');
    reader.optional(contextTag(2, false), 'subjectUniqueID');
    const extensions = reader.optional(contextTag(3, true), 'extensions');
    reader.end();
    if (extensions && this.version !== 3) throw new CryptoInputError('version.unsupported', `a version ${this.version} certificate must not have extensions`);
    this.extensions = extensions ? parseExtensions(der, onlyChild(der, extensions, `${what} extensions`), `${what} extensions`) : [];
  }

  /** Lower-case hex of the serial number's magnitude. */
  get serialNumberHex(): string {
    return this.serialNumber.toString('hex');
  }

  /** Hex digest of the DER (SHA-256 by default). */
  fingerprint(hash: HashAlgorithm = 'SHA-256'): string {
    return createHash(nodeHashName(hash)).update(this.der).digest('hex');
  }

  extension(oid: string): CertificateExtension | undefined {
    return this.extensions.find((extension) => extension.oid === oid);
  }

  /** The subject key, checked and named (RSA and explicit parameters are refused as anywhere else). */
  publicKey(options?: SpkiParseOptions): EcPublicKeyInfo {
    return parseSubjectPublicKeyInfo(this.subjectPublicKeyInfo, options);
  }

  isSelfIssued(): boolean {
    return this.subject.equals(this.issuer);
  }

  /** true when `issuer` (its certificate, SPKI DER or node key) verifies this certificate's signature. */
  verifySignature(issuer: ParsedCertificate | Uint8Array | KeyObject): boolean {
    return verifyEcdsaSignature({
      publicKey: issuer instanceof ParsedCertificate ? issuer.subjectPublicKeyInfo : issuer,
      data: this.tbs,
      signature: this.signature,
      hash: this.signatureAlgorithm.hash,
    });
  }

  toPem(): string {
    return toPem(this.der, 'CERTIFICATE');
  }

  // --- the well-known extensions, decoded (undefined when absent) ---------------------------------------------
  basicConstraints(): BasicConstraints | undefined {
    return this.decoded(CertificateExtensionOids.basicConstraints, decodeBasicConstraints);
  }
  keyUsage(): KeyUsage[] | undefined {
    return this.decoded(CertificateExtensionOids.keyUsage, decodeKeyUsage);
  }
  /** Dotted OIDs. */
  extendedKeyUsage(): string[] | undefined {
    return this.decoded(CertificateExtensionOids.extKeyUsage, decodeExtendedKeyUsage);
  }
  subjectAltName(): GeneralName[] | undefined {
    return this.decoded(CertificateExtensionOids.subjectAltName, decodeSubjectAltName);
  }
  issuerAltName(): GeneralName[] | undefined {
    return this.decoded(CertificateExtensionOids.issuerAltName, decodeIssuerAltName);
  }
  subjectKeyIdentifier(): Buffer | undefined {
    return this.decoded(CertificateExtensionOids.subjectKeyIdentifier, decodeSubjectKeyIdentifier);
  }
  authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.decoded(CertificateExtensionOids.authorityKeyIdentifier, decodeAuthorityKeyIdentifier);
  }
  crlDistributionPoints(): DistributionPoint[] | undefined {
    return this.decoded(CertificateExtensionOids.cRLDistributionPoints, decodeCrlDistributionPoints);
  }
  authorityInfoAccess(): AccessDescription[] | undefined {
    return this.decoded(CertificateExtensionOids.authorityInfoAccess, decodeAuthorityInfoAccess);
  }
  certificatePolicies(): PolicyInformation[] | undefined {
    return this.decoded(CertificateExtensionOids.certificatePolicies, decodeCertificatePolicies);
  }

  private decoded<T>(oid: string, decode: (value: Buffer) => T): T | undefined {
    const extension = this.extension(oid);
    return extension ? decode(extension.value) : undefined;
  }
}

function readVersion(der: Buffer, tlv: Tlv): number {
  const inner = onlyChild(der, tlv, 'version');
  if (inner.tag !== DerTag.INTEGER) throw new CryptoInputError('der.malformed', 'TBSCertificate version: expected an INTEGER');
  const value = decodeSmallInteger(der.subarray(inner.valueOffset, inner.end), 'version');
  if (value > 2) throw new CryptoInputError('version.unsupported', `certificate version ${value + 1} is not X.509 v1, v2 or v3`);
  return value + 1;
}

/** The single element inside an EXPLICIT tag. */
export function onlyChild(der: Buffer, tlv: Tlv, what: string): Tlv {
  const reader = new DerSequenceReader(der, tlv, what);
  const child = reader.nextAny('value');
  reader.end();
  return child;
}

/** Parses a certificate from DER or PEM. Throws {@link CryptoInputError} for anything malformed or not ECDSA-signed. */
export function parseCertificate(input: Uint8Array | string): ParsedCertificate {
  return new ParsedCertificate(derFromInput(input, ['CERTIFICATE']));
}

/** Verifies a certificate's signature under its issuer's key; throws `signature.invalid` when it does not verify. */
export function verifyCertificateSignature(certificate: ParsedCertificate, issuer: ParsedCertificate | Uint8Array | KeyObject): void {
  if (!certificate.verifySignature(issuer)) {
    throw new CryptoInputError('signature.invalid', `the signature of certificate ${certificate.serialNumberHex} (${certificate.subject}) does not verify under the issuer key`);
  }
}
