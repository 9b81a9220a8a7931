/**
 * Writes revokedCertificates entries straight into a {@link ChunkedWriter}. Each entry's length is known before it
 * is written (serial, time and the fixed-size reasonCode / invalidityDate extensions), so it is encoded once, in
 * place, without intermediate objects:
 *
 *   SEQUENCE { userCertificate INTEGER, revocationDate Time, crlEntryExtensions SEQUENCE OF Extension OPTIONAL }
 */
import { CryptoInputError } from '../crypto-input-error';
import { DerTag } from '../der/der-tags';
import { timeEncodedLength, writeGeneralizedTime, writeTime } from '../der/der-time';
import { derBoolean, derOctetString, derOid, derSequence, encodedLength, writeHeader } from '../der/der-writer';
import { CrlExtensionOids } from '../oids';
import { encodeGeneralNames } from '../x509/general-name';
import { nameDer } from '../x509/name';
import { serialNumberContents, type SerialNumberInput } from '../x509/serial-number';
import type { ChunkedWriter } from './chunked-writer';
import { crlReasonCode } from './crl-reason';
import type { RevokedCertificate } from './revoked-certificate';

/** SEQUENCE { OID reasonCode, OCTET STRING { ENUMERATED <code> } }: 12 bytes, the last one the code. */
const REASON_EXTENSION = Buffer.concat([Buffer.of(0x30, 0x0a), derOid(CrlExtensionOids.reasonCode), Buffer.of(DerTag.OCTET_STRING, 3, DerTag.ENUMERATED, 1, 0)]);
/** SEQUENCE { OID invalidityDate, OCTET STRING { GeneralizedTime } }: 9 bytes of prefix, then the 17-byte time. */
const INVALIDITY_PREFIX = Buffer.concat([Buffer.of(0x30, 0x18), derOid(CrlExtensionOids.invalidityDate), Buffer.of(DerTag.OCTET_STRING, 17)]);
const INVALIDITY_LENGTH = INVALIDITY_PREFIX.length + 17;

export class CrlEntryWriter {
  count = 0;
  /** DER of the certificate issuer the previous entry had (starts as the CRL issuer). */
  private currentIssuer: Buffer;
  private readonly issuerExtensions = new Map<string, Buffer>();

  constructor(
    private readonly output: ChunkedWriter,
    private readonly crlIssuer: Buffer,
    private readonly indirect: boolean,
  ) {
    this.currentIssuer = crlIssuer;
  }

  write(entry: RevokedCertificate): void {
    // One try per entry (no closures): a million entries should make no garbage beyond their own objects.
    try {
      this.writeEntry(entry);
    } catch (error) {
      throw error instanceof CryptoInputError && error.rule === 'crl.entry-invalid' ? error : this.invalid(entry, (error as Error).message);
    }
    this.count++;
  }

  private writeEntry(entry: RevokedCertificate): void {
    const serial = serialLayout(entry.serialNumber);
    const revocationDate = entry.revocationDate;
    if (!(revocationDate instanceof Date) || Number.isNaN(revocationDate.getTime())) throw this.invalid(entry, 'revocationDate must be a valid date');
    const reasonCode = entry.reason === undefined || entry.reason === 'unspecified' ? undefined : crlReasonCode(entry.reason);
    const invalidityDate = entry.invalidityDate;
    const issuerExtension = this.issuerExtension(entry);

    const extensionsLength = (reasonCode !== undefined ? REASON_EXTENSION.length : 0) + (invalidityDate ? INVALIDITY_LENGTH : 0) + (issuerExtension?.length ?? 0);
    const bodyLength = 2 + serial.length + timeEncodedLength(revocationDate) + (extensionsLength > 0 ? encodedLength(extensionsLength) : 0);
    const output = this.output;
    output.reserve(encodedLength(bodyLength));
    const buffer = output.buffer;
    let offset = writeHeader(buffer, output.offset, DerTag.SEQUENCE, bodyLength);
    offset = writeSerial(buffer, offset, serial);
    offset = writeTime(buffer, offset, revocationDate);
    if (extensionsLength > 0) {
      offset = writeHeader(buffer, offset, DerTag.SEQUENCE, extensionsLength);
      if (reasonCode !== undefined) {
        offset += REASON_EXTENSION.copy(buffer, offset);
        buffer[offset - 1] = reasonCode;
      }
      if (invalidityDate) {
        offset += INVALIDITY_PREFIX.copy(buffer, offset);
        offset = writeGeneralizedTime(buffer, offset, invalidityDate);
      }
      if (issuerExtension) offset += issuerExtension.copy(buffer, offset);
    }
    output.offset = offset;
  }

  /** The certificateIssuer extension when this entry's issuer differs from the previous entry's (RFC 5280 5.3.3). */
  private issuerExtension(entry: RevokedCertificate): Buffer | undefined {
    const issuer = entry.certificateIssuer === undefined ? this.crlIssuer : nameDer(entry.certificateIssuer);
    if (issuer.equals(this.currentIssuer)) return undefined;
    if (!this.indirect) throw this.invalid(entry, 'certificateIssuer differs from the CRL issuer, but the CRL is not indirect (issuingDistributionPoint indirectCRL)');
    this.currentIssuer = issuer;
    const key = issuer.toString('latin1');
    let extension = this.issuerExtensions.get(key);
    if (!extension) {
      // certificateIssuer MUST be critical.
      extension = derSequence(derOid(CrlExtensionOids.certificateIssuer), derBoolean(true), derOctetString(encodeGeneralNames([{ directoryName: issuer }])));
      this.issuerExtensions.set(key, extension);
    }
    return extension;
  }

  private invalid(entry: RevokedCertificate, problem: string): CryptoInputError {
    const serial = typeof entry.serialNumber === 'bigint' || typeof entry.serialNumber === 'string' ? String(entry.serialNumber) : Buffer.from(entry.serialNumber).toString('hex');
    return new CryptoInputError('crl.entry-invalid', `CRL entry ${this.count} (serial ${serial}): ${problem}`);
  }
}

/**
 * Where a serial's INTEGER contents come from. Byte-array serials (as a database returns them) are written
 * straight from the caller's bytes; bigint and hex serials go through serialNumberContents.
 */
interface SerialLayout {
  bytes: Uint8Array;
  start: number;
  /** Contents length, the 0x00 sign octet included. */
  length: number;
  signOctet: boolean;
}

function serialLayout(serial: SerialNumberInput): SerialLayout {
  if (!(serial instanceof Uint8Array)) {
    const contents = serialNumberContents(serial);
    return { bytes: contents, start: 0, length: contents.length, signOctet: false };
  }
  let start = 0;
  while (start < serial.length && serial[start] === 0) start++;
  if (start === serial.length) throw new CryptoInputError('serial.invalid', 'serial number must be positive (it is zero)');
  const signOctet = (serial[start]! & 0x80) !== 0;
  const length = serial.length - start + (signOctet ? 1 : 0);
  if (length > 20) throw new CryptoInputError('serial.invalid', `serial number of ${length} octets exceeds the 20 octets RFC 5280 allows`);
  return { bytes: serial, start, length, signOctet };
}

function writeSerial(buffer: Buffer, offset: number, serial: SerialLayout): number {
  buffer[offset++] = DerTag.INTEGER;
  buffer[offset++] = serial.length;
  if (serial.signOctet) buffer[offset++] = 0;
  const { bytes } = serial;
  for (let i = serial.start; i < bytes.length; i++) buffer[offset++] = bytes[i]!;
  return offset;
}
