/**
 * CRL parsing for CRLs of any size: the DER is walked in place (asn1js caps at 10,000 nodes, a large CRL has
 * millions), the header fields and CRL extensions are read at once, the entries lazily, one at a time.
 * Signature verification hashes the exact signed bytes with node:crypto.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { DerSequenceReader, iterateChildren, malformed, readTlv, readWhole, type Tlv } from '../der/der-reader';
import { contextTag, DerTag } from '../der/der-tags';
import { decodeTime } from '../der/der-time';
import { decodeSmallInteger, decodeUnsignedInteger } from '../der/der-values';
import { nodeHashName } from '../hash-algorithm';
import { CrlExtensionOids } from '../oids';
import { derFromInput, toPem } from '../pem';
import { parseSignatureAlgorithm, type SignatureAlgorithm } from '../signature-algorithm';
import { verifyEcdsaSignature } from '../verify-signature';
import { decodeExtensionValue, parseExtensions, type CertificateExtension } from '../x509/certificate-extension';
import { decodeAuthorityKeyIdentifier, type AuthorityKeyIdentifier } from '../x509/extensions/authority-key-identifier';
import { decodeGeneralNames, type GeneralName } from '../x509/general-name';
import { parseNameAt, type ParsedName } from '../x509/name';
import { onlyChild, type ParsedCertificate } from '../x509/parsed-certificate';
import { assertSameAlgorithm, splitSignedStructure } from '../x509/signed-structure';
import { decodeCrlNumber, decodeIssuingDistributionPoint, type IssuingDistributionPoint } from './crl-extensions';
import { crlReasonOfCode, type CrlReason } from './crl-reason';

export class ParsedCrlEntry {
  reason?: CrlReason;
  invalidityDate?: Date;
  /** Indirect CRLs: the issuer of the revoked certificate, carried over from earlier entries as RFC 5280 5.3.3 says. */
  certificateIssuer?: GeneralName[];

  constructor(
    /** Unsigned magnitude. */
    readonly serialNumber: Buffer,
    readonly revocationDate: Date,
    readonly extensions: readonly CertificateExtension[],
  ) {}

  /** Lower-case hex of the serial's magnitude (computed on request: a large CRL has millions of entries). */
  get serialNumberHex(): string {
    return this.serialNumber.toString('hex');
  }

  toJSON(): object {
    return { serialNumber: this.serialNumberHex, revocationDate: this.revocationDate, reason: this.reason, invalidityDate: this.invalidityDate };
  }
}

export class ParsedCrl {
  /** 1 or 2. */
  readonly version: number;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly issuer: ParsedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly extensions: readonly CertificateExtension[];
  /** The signed bytes (TBSCertList), a view into `der`. */
  readonly tbs: Buffer;
  readonly signature: Buffer;
  readonly crlNumber?: bigint;
  /** Present on delta CRLs: the number of the base CRL. */
  readonly deltaCrlIndicator?: bigint;
  readonly authorityKeyIdentifier?: AuthorityKeyIdentifier;
  readonly issuingDistributionPoint?: IssuingDistributionPoint;
  private readonly revoked?: Tlv;

  constructor(readonly der: Buffer) {
    const signed = splitSignedStructure(der, 'CertificateList');
    this.tbs = signed.tbs;
    this.signature = signed.signature;
    this.signatureAlgorithm = parseSignatureAlgorithm(signed.signatureAlgorithmDer, 'CertificateList signatureAlgorithm');
    const what = 'TBSCertList';
    const reader = new DerSequenceReader(der, signed.tbsTlv, what);
    const version = reader.optional(DerTag.INTEGER, 'version');
    this.version = version ? decodeSmallInteger(der.subarray(version.valueOffset, version.end), `${what} version`) + 1 : 1;
    if (this.version > 2) throw new CryptoInputError('version.unsupported', `CRL version ${this.version} is not v1 or v2`);
    const algorithm = reader.next(DerTag.SEQUENCE, 'signature');
    assertSameAlgorithm(der.subarray(algorithm.offset, algorithm.end), signed.signatureAlgorithmDer, 'CertificateList');
    this.issuer = parseNameAt(der, reader.next(DerTag.SEQUENCE, 'issuer'), `${what} issuer`);
    const thisUpdate = reader.nextAny('thisUpdate');
    this.thisUpdate = decodeTime(thisUpdate.tag, der.subarray(thisUpdate.valueOffset, thisUpdate.end), `${what} thisUpdate`);
    const nextUpdate = reader.optional(DerTag.UTC_TIME, 'nextUpdate') ?? reader.optional(DerTag.GENERALIZED_TIME, 'nextUpdate');
    if (nextUpdate) this.nextUpdate = decodeTime(nextUpdate.tag, der.subarray(nextUpdate.valueOffset, nextUpdate.end), `${what} nextUpdate`);
    this.revoked = reader.optional(DerTag.SEQUENCE, 'revokedCertificates');
    const extensions = reader.optional(contextTag(0, true), 'crlExtensions');
    reader.end();
    if (extensions && this.version !== 2) throw new CryptoInputError('version.unsupported', 'a v1 CRL must not have extensions');
    this.extensions = extensions ? parseExtensions(der, onlyChild(der, extensions, `${what} crlExtensions`), `${what} crlExtensions`) : [];
    const value = (oid: string) => this.extensions.find((extension) => extension.oid === oid)?.value;
    const number = value(CrlExtensionOids.cRLNumber);
    if (number) this.crlNumber = decodeCrlNumber(number);
    const delta = value(CrlExtensionOids.deltaCRLIndicator);
    if (delta) this.deltaCrlIndicator = decodeCrlNumber(delta);
    const aki = value(CrlExtensionOids.authorityKeyIdentifier);
    if (aki) this.authorityKeyIdentifier = decodeAuthorityKeyIdentifier(aki);
    const idp = value(CrlExtensionOids.issuingDistributionPoint);
    if (idp) this.issuingDistributionPoint = decodeIssuingDistributionPoint(idp);
  }

  get isDelta(): boolean {
    return this.deltaCrlIndicator !== undefined;
  }

  get isIndirect(): boolean {
    return this.issuingDistributionPoint?.indirectCrl === true;
  }

  /** Number of entries, counted from the element headers only. */
  entryCount(): number {
    if (!this.revoked) return 0;
    let count = 0;
    for (let offset = this.revoked.valueOffset; offset < this.revoked.end; count++) offset = readTlv(this.der, offset, this.revoked.end, 'revokedCertificates').end;
    return count;
  }

  /** The entries in order, decoded one at a time. */
  *entries(): Generator<ParsedCrlEntry> {
    if (!this.revoked) return;
    let issuer: GeneralName[] | undefined;
    for (const tlv of iterateChildren(this.der, this.revoked, 'revokedCertificates')) {
      const entry = parseEntry(this.der, tlv);
      if (this.isIndirect) {
        issuer = entry.certificateIssuer ?? issuer;
        if (issuer) entry.certificateIssuer = issuer;
      }
      yield entry;
    }
  }

  /** The entry for a serial (hex of the magnitude, as {@link ParsedCertificate.serialNumberHex}); a linear scan. */
  findEntry(serialNumberHex: string): ParsedCrlEntry | undefined {
    const wanted = serialNumberHex.toLowerCase();
    for (const entry of this.entries()) if (entry.serialNumberHex === wanted) return entry;
    return undefined;
  }

  /** true when `issuer` (the CRL signer's certificate, SPKI DER or node key) verifies the signature. */
  verifySignature(issuer: ParsedCertificate | Uint8Array | KeyObject): boolean {
    const publicKey = issuer instanceof Uint8Array || !('subjectPublicKeyInfo' in issuer) ? issuer : issuer.subjectPublicKeyInfo;
    return verifyEcdsaSignature({ publicKey, data: this.tbs, signature: this.signature, hash: this.signatureAlgorithm.hash });
  }

  fingerprint(hash: HashAlgorithm = 'SHA-256'): string {
    return createHash(nodeHashName(hash)).update(this.der).digest('hex');
  }

  /** PEM with the `X509 CRL` label OpenSSL needs. */
  toPem(): string {
    return toPem(this.der, 'X509 CRL');
  }
}

const NO_EXTENSIONS: readonly CertificateExtension[] = Object.freeze([]);

function parseEntry(der: Buffer, tlv: Tlv): ParsedCrlEntry {
  if (tlv.tag !== DerTag.SEQUENCE) throw malformed('revokedCertificates entry', 'must be a SEQUENCE');
  const reader = new DerSequenceReader(der, tlv, 'revokedCertificates entry');
  const serial = reader.next(DerTag.INTEGER, 'userCertificate');
  const date = reader.nextAny('revocationDate');
  const extensionsTlv = reader.optional(DerTag.SEQUENCE, 'crlEntryExtensions');
  reader.end();
  const serialNumber = decodeUnsignedInteger(der.subarray(serial.valueOffset, serial.end), 'CRL entry userCertificate');
  const entry = new ParsedCrlEntry(
    serialNumber,
    decodeTime(date.tag, der.subarray(date.valueOffset, date.end), 'CRL entry revocationDate'),
    extensionsTlv ? parseExtensions(der, extensionsTlv, 'crlEntryExtensions') : NO_EXTENSIONS,
  );
  for (const extension of entry.extensions) decodeEntryExtension(entry, extension);
  return entry;
}

function decodeEntryExtension(entry: ParsedCrlEntry, extension: CertificateExtension): void {
  const value = extension.value;
  switch (extension.oid) {
    case CrlExtensionOids.reasonCode:
      entry.reason = decodeExtensionValue('reasonCode', () => {
        const tlv = readWhole(value, DerTag.ENUMERATED, 'CRLReason');
        const code = decodeSmallInteger(value.subarray(tlv.valueOffset, tlv.end), 'CRLReason');
        const reason = crlReasonOfCode(code);
        if (!reason) throw malformed('CRLReason', `unknown reason code ${code}`);
        return reason;
      });
      break;
    case CrlExtensionOids.invalidityDate:
      entry.invalidityDate = decodeExtensionValue('invalidityDate', () => {
        const tlv = readWhole(value, DerTag.GENERALIZED_TIME, 'InvalidityDate');
        return decodeTime(tlv.tag, value.subarray(tlv.valueOffset, tlv.end), 'InvalidityDate');
      });
      break;
    case CrlExtensionOids.certificateIssuer:
      entry.certificateIssuer = decodeExtensionValue('certificateIssuer', () => decodeGeneralNames(value, readWhole(value, DerTag.SEQUENCE, 'CertificateIssuer'), 'CertificateIssuer'));
      break;
    default:
  }
}

/** Parses a CRL from DER or PEM (`X509 CRL`, also `CRL`). */
export function parseCrl(input: Uint8Array | string): ParsedCrl {
  return new ParsedCrl(derFromInput(input, ['X509 CRL', 'CRL']));
}
