import { CaCertificate, issuedView, type CaRegistry, type IssuedCertificate } from '@smpki/ca';
import { In, type DataSource, type ObjectLiteral, type Repository } from 'typeorm';
import { Meter } from './entities';

/** Keys per IN list: well below the bind-parameter limits of both databases. */
const KEYS_PER_QUERY = 500;

/** Rows whose `column` is one of `keys`, in chunks. */
export async function findIn<T extends ObjectLiteral>(repository: Repository<T>, column: keyof T & string, keys: readonly string[], where: Partial<T> = {}): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
    rows.push(...(await repository.find({ where: { ...where, [column]: In(keys.slice(start, start + KEYS_PER_QUERY)) } as never })));
  }
  return rows;
}

/** The stored meters with these ids, by id. */
export async function metersById(dataSource: DataSource, meterIds: readonly string[]): Promise<Map<string, Meter>> {
  const rows = await findIn(dataSource.getRepository(Meter), 'meterId', meterIds);
  return new Map(rows.map((row) => [row.meterId, row]));
}

/** The meters certified with these key fingerprints, by fingerprint. */
export async function metersByKey(dataSource: DataSource, fingerprints: readonly string[]): Promise<Map<string, Meter>> {
  const rows = await findIn(dataSource.getRepository(Meter), 'keyFingerprint', fingerprints);
  return new Map(rows.map((row) => [row.keyFingerprint!, row]));
}

/** The certificates of a CA with these serials, as the CA answers them, by serial. */
export async function certificatesBySerial(dataSource: DataSource, registry: CaRegistry, caName: string, serials: readonly string[]): Promise<Map<string, IssuedCertificate>> {
  const ca = registry.get(caName);
  const rows = await findIn(dataSource.getRepository(CaCertificate), 'serial', serials, { authorityId: ca.id });
  return new Map(rows.map((row) => [row.serial, issuedView(ca, row)]));
}
