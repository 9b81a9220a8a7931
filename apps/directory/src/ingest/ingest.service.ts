import { Injectable } from '@nestjs/common';
import { dnKey, DirectoryStore, InvalidDnError, type DirectoryItem, type IngestResult } from '@smpki/directory';
import { ProblemException } from '@smpki/platform';
import { createHash, X509Certificate } from 'node:crypto';
import type { DirectoryEntryDto } from './ingest-entries.dto';

/** Checks what the DTO cannot (DNs parse, certificates parse and match their fingerprint) and applies the batch. */
@Injectable()
export class IngestService {
  constructor(private readonly store: DirectoryStore) {}

  async ingest(entries: readonly DirectoryEntryDto[]): Promise<IngestResult> {
    const items = entries.map((entry, index) => checked(entry, `entries[${index}]`));
    return this.store.apply(items);
  }
}

function checked(entry: DirectoryEntryDto, path: string): DirectoryItem {
  try {
    dnKey(entry.dn);
  } catch (error) {
    if (error instanceof InvalidDnError) throw refused(`${path}.dn`, 'directory.dn-syntax', error.message);
    throw error;
  }
  if (entry.certificate !== undefined && entry.kind !== 'crl' && entry.kind !== 'delta-crl') {
    const der = Buffer.from(entry.certificate, 'base64');
    try {
      new X509Certificate(der);
    } catch {
      throw refused(`${path}.certificate`, 'directory.certificate-der', 'is not a DER X.509 certificate');
    }
    if (entry.kind === 'certificate' && createHash('sha256').update(der).digest('hex') !== entry.fingerprint!.toLowerCase()) {
      throw refused(`${path}.fingerprint`, 'directory.fingerprint-mismatch', 'is not the SHA-256 of the certificate');
    }
  }
  if (entry.crl !== undefined && Buffer.from(entry.crl, 'base64')[0] !== 0x30) {
    throw refused(`${path}.crl`, 'directory.crl-der', 'is not a DER CRL');
  }
  return entry as DirectoryItem;
}

function refused(field: string, rule: string, message: string): ProblemException {
  return new ProblemException({
    status: 400,
    type: 'directory-entry-refused',
    title: 'Directory entry refused',
    detail: `${field}: ${message}`,
    errors: [{ field, rule, message }],
    recordRefusal: true,
  });
}
