/**
 * An extension as it goes into a certificate, request or CRL: OID, criticality and the DER of its value (the
 * contents of extnValue). The builders in `extensions/` make them; a CA builds the per-CA ones (authority key
 * identifier, CRL distribution points, policies) once and reuses the objects for every certificate.
 */
import { CryptoInputError } from '../crypto-input-error';
import { DerSequenceReader, readTlv, type Tlv } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { derBoolean, derOctetString, derOid, derSequence } from '../der/der-writer';
import { decodeBoolean } from '../der/der-values';
import { decodeOidContents } from '../der/object-identifier';

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** DER of the extension value (what extnValue's OCTET STRING holds). */
  readonly value: Buffer;
}

export interface ExtensionOptions {
  /** Overrides the extension's default criticality. */
  critical?: boolean;
}

const ENCODED = new WeakMap<CertificateExtension, Buffer>();

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }; cached per object. */
export function encodeExtension(extension: CertificateExtension): Buffer {
  let encoded = ENCODED.get(extension);
  if (!encoded) {
    encoded = extension.critical
      ? derSequence(derOid(extension.oid), derBoolean(true), derOctetString(extension.value))
      : derSequence(derOid(extension.oid), derOctetString(extension.value));
    ENCODED.set(extension, encoded);
  }
  return encoded;
}

/** Extensions ::= SEQUENCE OF Extension, refusing the same OID twice (RFC 5280 4.2). */
export function encodeExtensions(extensions: readonly CertificateExtension[]): Buffer {
  assertNoDuplicates(extensions);
  return derSequence(...extensions.map(encodeExtension));
}

function assertNoDuplicates(extensions: readonly { oid: string }[]): void {
  // A plain double loop: extensions come in handfuls, and CRL entries (a million of them) have one or two.
  for (let i = 1; i < extensions.length; i++) {
    for (let j = 0; j < i; j++) {
      if (extensions[i]!.oid === extensions[j]!.oid) throw new CryptoInputError('extension.duplicate', `extension ${extensions[i]!.oid} appears more than once`);
    }
  }
}

/** Reads an Extensions SEQUENCE. A `critical` encoded as FALSE (BER, not DER) is accepted as non-critical. */
export function parseExtensions(der: Buffer, sequence: Tlv, what: string): CertificateExtension[] {
  const extensions: CertificateExtension[] = [];
  for (let offset = sequence.valueOffset; offset < sequence.end; ) {
    const tlv = readTlv(der, offset, sequence.end, what);
    offset = tlv.end;
    if (tlv.tag !== DerTag.SEQUENCE) throw new CryptoInputError('der.malformed', `${what}: an extension must be a SEQUENCE`);
    const reader = new DerSequenceReader(der, tlv, `${what} extension`);
    const oidTlv = reader.next(DerTag.OBJECT_IDENTIFIER, 'extnID');
    const oid = decodeOidContents(der.subarray(oidTlv.valueOffset, oidTlv.end), what);
    const criticalTlv = reader.optional(DerTag.BOOLEAN, 'critical');
    const critical = criticalTlv ? decodeBoolean(der.subarray(criticalTlv.valueOffset, criticalTlv.end), `${what} ${oid} critical`) : false;
    const valueTlv = reader.next(DerTag.OCTET_STRING, `${oid} extnValue`);
    reader.end();
    extensions.push({ oid, critical, value: der.subarray(valueTlv.valueOffset, valueTlv.end) });
  }
  if (extensions.length === 0) throw new CryptoInputError('der.malformed', `${what}: an Extensions SEQUENCE must not be empty`);
  assertNoDuplicates(extensions);
  return extensions;
}

/** Runs an extension decoder, turning a DER failure into `extension.malformed` that names the extension. */
export function decodeExtensionValue<T>(name: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof CryptoInputError && error.rule === 'der.malformed') {
      throw new CryptoInputError('extension.malformed', `${name}: ${error.message}`);
    }
    throw error;
  }
}
