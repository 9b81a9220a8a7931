/**
 * Turns outbox rows into directory entries (docs/DIRECTORY.md). Each entry carries the *current* state of its
 * object (a certificate revoked since its row was written is published revoked) and a version from that state's
 * time, so the directory, which ignores versions older than the one it holds, ends with the newest state whatever
 * order two replicas deliver in.
 */
import { parseCertificate } from '@smpki/crypto';
import { In, type EntityManager } from 'typeorm';
import { CaAuthority, CaCertificate, CaCrl, type PublicationOutbox } from '../entities';
import type { DirectoryEntry } from './directory-entry';
import { caEntryDn, endEntityDn } from './entry-dn';

/** Profiles whose subject serialNumber is the meter id (the entry is named by it). */
const METER_PROFILES: ReadonlySet<string> = new Set(['meter-calibration']);

/** An outbox row whose object cannot be read: it stays pending (never dropped) and the error is reported. */
export class UnpublishableRowError extends Error {
  constructor(row: PublicationOutbox, problem: string) {
    super(`publication ${row.id} (${row.kind} of CA ${row.ca}): ${problem}`);
    this.name = 'UnpublishableRowError';
  }
}

/** The entry of a CA itself: its certificate, at the DN its CRLs are published under too. */
export function caEntry(authority: CaAuthority): DirectoryEntry {
  const certificate = parseCertificate(authority.certificate);
  return {
    kind: 'ca',
    ca: authority.name,
    dn: caEntryDn(certificate.subject),
    certificate: authority.certificate.toString('base64'),
    version: certificate.notBefore.toISOString(),
  };
}

function certificateEntry(authority: CaAuthority, row: CaCertificate): DirectoryEntry {
  const subject = parseCertificate(row.der).subject;
  const commonName = subject.get('CN');
  const meterId = METER_PROFILES.has(row.profile) ? subject.get('serialNumber') : undefined;
  const caDn = caEntryDn(parseCertificate(authority.certificate).subject);
  return {
    kind: 'certificate',
    ca: authority.name,
    dn: endEntityDn(caDn, { serial: row.serial, ...(commonName !== undefined ? { commonName } : {}), ...(meterId !== undefined ? { meterId } : {}) }),
    certificate: row.der.toString('base64'),
    serial: row.serial,
    fingerprint: row.fingerprint,
    ...(commonName !== undefined ? { commonName } : {}),
    ...(meterId !== undefined ? { meterId } : {}),
    revoked: row.status === 'revoked',
    version: (row.revokedAt ?? row.issuedAt).toISOString(),
  };
}

function crlEntry(authority: CaAuthority, crl: CaCrl): DirectoryEntry {
  return {
    kind: crl.delta ? 'delta-crl' : 'crl',
    ca: authority.name,
    dn: caEntryDn(parseCertificate(authority.certificate).subject),
    crl: crl.der.toString('base64'),
    crlNumber: crl.crlNumber,
    version: crl.thisUpdate.toISOString(),
  };
}

const key = (authorityId: string, id: string | number) => `${authorityId}/${id}`;

/** The entries of `rows`, in the rows' order; throws UnpublishableRowError when an object is missing. */
export async function entriesForRows(manager: EntityManager, rows: readonly PublicationOutbox[]): Promise<DirectoryEntry[]> {
  if (rows.length === 0) return [];
  const authorities = await manager.find(CaAuthority, { where: { name: In([...new Set(rows.map((row) => row.ca))]) } });
  const authorityByName = new Map(authorities.map((authority) => [authority.name, authority]));
  const ids = authorities.map((authority) => authority.id);
  const serials = rows.flatMap((row) => (row.serial !== null ? [row.serial] : []));
  const numbers = rows.flatMap((row) => (row.crlNumber !== null ? [row.crlNumber] : []));
  const certificates = serials.length ? await manager.find(CaCertificate, { where: { authorityId: In(ids), serial: In([...new Set(serials)]) } }) : [];
  const crls = numbers.length ? await manager.find(CaCrl, { where: { authorityId: In(ids), crlNumber: In([...new Set(numbers)]) } }) : [];
  const certificateByKey = new Map(certificates.map((row) => [key(row.authorityId, row.serial), row]));
  const crlByKey = new Map(crls.map((row) => [key(row.authorityId, row.crlNumber), row]));
  return rows.map((row) => {
    const authority = authorityByName.get(row.ca);
    if (!authority) throw new UnpublishableRowError(row, 'no such CA in ca_authority');
    if (row.kind === 'certificate') {
      const certificate = certificateByKey.get(key(authority.id, row.serial ?? ''));
      if (!certificate) throw new UnpublishableRowError(row, `certificate ${row.serial} not found`);
      return certificateEntry(authority, certificate);
    }
    const crl = crlByKey.get(key(authority.id, row.crlNumber ?? -1));
    if (!crl) throw new UnpublishableRowError(row, `CRL number ${row.crlNumber} not found`);
    return crlEntry(authority, crl);
  });
}
