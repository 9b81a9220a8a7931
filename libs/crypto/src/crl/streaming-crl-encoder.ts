/**
 * The streaming CRL encoder. Entries arrive as an (async) iterable, e.g. a database cursor, and are written one by
 * one into fixed-size chunks at their exact size; when the stream ends the outer lengths are known, the
 * TBSCertList is hashed chunk by chunk and signed once, and the CRL is assembled into one buffer of its exact size.
 * Time is linear and memory about twice the CRL (chunks + result), whatever the number of entries
 * (the stock @peculiar/x509 X509CrlGenerator is quadratic: 8k entries took 5.2 s).
 *
 * The TBS is signed as a digest (`signDigest`), so tens of megabytes never travel to an HSM worker thread.
 */
import { createHash } from 'node:crypto';
import type { HashAlgorithm, Signer } from '@smpki/hsm';
import { CryptoInputError } from '../crypto-input-error';
import { DerTag } from '../der/der-tags';
import { derContext, derInteger, derTime, encodedLength, lengthOctets, writeHeader } from '../der/der-writer';
import { nodeHashName } from '../hash-algorithm';
import { keyIdentifierFromSpki } from '../keys/key-identifier';
import { signatureAlgorithmForCurve } from '../signature-algorithm';
import { encodeExtensions, type CertificateExtension } from '../x509/certificate-extension';
import { authorityKeyIdentifier } from '../x509/extensions/authority-key-identifier';
import { nameDer } from '../x509/name';
import { checkedSignature } from '../x509/signed-structure';
import { ChunkedWriter } from './chunked-writer';
import { CrlEntryWriter } from './crl-entry-writer';
import { crlNumber, deltaCrlIndicator, issuingDistributionPoint } from './crl-extensions';
import type { CrlTemplate } from './crl-template';
import type { RevokedCertificate } from './revoked-certificate';

/** Entries one by one, or (async) in pages as a database cursor returns them. */
export type RevokedCertificateSource =
  | Iterable<RevokedCertificate>
  | AsyncIterable<RevokedCertificate | readonly RevokedCertificate[]>;

export interface CrlEncodingOptions {
  /** Overrides the hash that follows the signer's curve. */
  hash?: HashAlgorithm;
  /** Size of the output chunks (default 1 MiB). */
  chunkSize?: number;
}

export interface EncodedCrl {
  der: Buffer;
  entryCount: number;
}

const VERSION_2 = derInteger(1);

/** Encodes and signs a CRL (version 2) whose entries come from `entries`. */
export async function encodeCrl(template: CrlTemplate, entries: RevokedCertificateSource, signer: Signer, options: CrlEncodingOptions = {}): Promise<EncodedCrl> {
  const algorithm = signatureAlgorithmForCurve(signer.curve, options.hash);
  const issuer = nameDer(template.issuer);
  const head = Buffer.concat([VERSION_2, algorithm.der, issuer, ...encodeUpdateTimes(template)]);
  const extensions = derContext(0, true, encodeExtensions(crlExtensions(template, signer)));

  const writer = new ChunkedWriter(options.chunkSize);
  const entryWriter = new CrlEntryWriter(writer, issuer, template.issuingDistributionPoint?.indirectCrl === true);
  await writeEntries(entries, entryWriter);
  const entriesLength = writer.length;
  const chunks = writer.finish();

  // RFC 5280 5.1.2.6: without revoked certificates the list is absent, not empty.
  const revokedHeader = entryWriter.count > 0 ? header(DerTag.SEQUENCE, entriesLength) : Buffer.alloc(0);
  const tbsLength = head.length + revokedHeader.length + entriesLength + extensions.length;
  const tbsHeader = header(DerTag.SEQUENCE, tbsLength);
  const parts = [tbsHeader, head, revokedHeader, ...chunks, extensions];

  const hash = createHash(nodeHashName(algorithm.hash));
  for (const part of parts) hash.update(part);
  const signature = checkedSignature(await signer.signDigest(hash.digest(), { format: 'der' }), signer);

  const signatureBits = Buffer.concat([header(DerTag.BIT_STRING, signature.length + 1), Buffer.of(0), signature]);
  const bodyLength = tbsHeader.length + tbsLength + algorithm.der.length + signatureBits.length;
  const der = Buffer.allocUnsafeSlow(encodedLength(bodyLength));
  let offset = writeHeader(der, 0, DerTag.SEQUENCE, bodyLength);
  for (let i = 0; i < parts.length; i++) {
    offset += parts[i]!.copy(der, offset);
    parts[i] = EMPTY; // let the chunks go as soon as they are copied
  }
  offset += algorithm.der.copy(der, offset);
  offset += signatureBits.copy(der, offset);
  if (offset !== der.length) throw new Error(`CRL encoder wrote ${offset} of ${der.length} bytes`);
  return { der, entryCount: entryWriter.count };
}

const EMPTY = Buffer.alloc(0);

function header(tag: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(1 + lengthOctets(length));
  writeHeader(buffer, 0, tag, length);
  return buffer;
}

function encodeUpdateTimes(template: CrlTemplate): Buffer[] {
  const { thisUpdate, nextUpdate } = template;
  if (!(thisUpdate instanceof Date) || !(nextUpdate instanceof Date) || Number.isNaN(thisUpdate.getTime()) || Number.isNaN(nextUpdate.getTime())) {
    throw new CryptoInputError('validity.invalid', 'CRL thisUpdate and nextUpdate must be valid dates');
  }
  if (Math.floor(nextUpdate.getTime() / 1000) <= Math.floor(thisUpdate.getTime() / 1000)) {
    throw new CryptoInputError('validity.invalid', `CRL nextUpdate ${nextUpdate.toISOString()} is not after thisUpdate ${thisUpdate.toISOString()}`);
  }
  return [derTime(thisUpdate), derTime(nextUpdate)];
}

function crlExtensions(template: CrlTemplate, signer: Signer): CertificateExtension[] {
  return [
    authorityKeyIdentifier(template.authorityKeyIdentifier ?? keyIdentifierFromSpki(signer.publicKey.spki)),
    crlNumber(template.crlNumber),
    ...(template.deltaCrlIndicator !== undefined ? [deltaCrlIndicator(template.deltaCrlIndicator)] : []),
    ...(template.issuingDistributionPoint ? [issuingDistributionPoint(template.issuingDistributionPoint)] : []),
    ...(template.extensions ?? []),
  ];
}

async function writeEntries(entries: RevokedCertificateSource, writer: CrlEntryWriter): Promise<void> {
  // A synchronous source is read without an await per entry (a million awaits cost more than the encoding).
  if (Symbol.iterator in entries) {
    for (const entry of entries as Iterable<RevokedCertificate>) writer.write(entry);
    return;
  }
  for await (const item of entries) {
    if (Array.isArray(item)) for (const entry of item as readonly RevokedCertificate[]) writer.write(entry);
    else writer.write(item as RevokedCertificate);
  }
}

