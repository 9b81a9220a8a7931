/**
 * The bench DIT in the smpki directory's PostgreSQL database: one CA entry and `count` meter entries, written by
 * INSERT ... SELECT over generate_series (the rows are made by the server, in chunks, so a million take a minute
 * rather than a million ingest calls). The rows are what the ingest API would store for the same items: DN and its
 * lowercase key, parent key, naming attributes and their lowercase filter keys, certificate, serial, fingerprint.
 */
import { Client } from 'pg';
import { dnKey } from '@smpki/directory';
import { meterCertificateSql, SERIAL_BASE, type CertificateTemplate } from './meter-certificates';

const CHUNK = 100_000;
const CA_INSTANCE = 'calibration';

export interface BenchDit {
  caDn: string;
  caCommonName: string;
  /** The meter id of entry `index` (1-based). */
  meterId(index: number): string;
  meterDn(index: number): string;
}

export async function loadSmpkiDirectory(databaseUrl: string, dit: BenchDit, template: CertificateTemplate, count: number, log: (line: string) => void): Promise<void> {
  const caKey = dnKey(dit.caDn);
  // The rows below build keys by lowercasing; they must equal what the directory computes for a DN.
  if (dnKey(dit.meterDn(1)) !== `serialnumber=${dit.meterId(1).toLowerCase()},${caKey}`) throw new Error(`unexpected DN key ${dnKey(dit.meterDn(1))}`);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO directory_entry (dn, dn_key, parent_key, kind, ca, certificate, common_name, common_name_key, revoked, version, updated_at)
       VALUES ($1, $2, $3, 'ca', $4, $5, $6::varchar, lower($6::varchar), false, now(), now())`,
      [dit.caDn, caKey, caKey.slice(caKey.indexOf(',') + 1), CA_INSTANCE, template.der, dit.caCommonName],
    );
    const meterIdPrefix = dit.meterId(1).slice(0, -8);
    for (let from = 1; from <= count; from += CHUNK) {
      const to = Math.min(count, from + CHUNK - 1);
      await client.query(
        `INSERT INTO directory_entry (dn, dn_key, parent_key, kind, ca, certificate, serial, fingerprint, common_name, meter_id, common_name_key, meter_id_key, revoked, version, updated_at)
         SELECT 'serialNumber=' || meter_id || ',' || $2::text, 'serialnumber=' || lower(meter_id) || ',' || $3::text, $3::text, 'certificate', $4, der,
                encode(int8send(serial), 'hex'), encode(sha256(der), 'hex'), meter_id, meter_id, lower(meter_id), lower(meter_id), false, now(), now()
         FROM (SELECT $5::bigint + i AS serial, $6::text || lpad(i::text, 8, '0') AS meter_id FROM generate_series($7::int, $8::int) AS i) m,
              LATERAL (SELECT ${meterCertificateSql(template)} AS der) c`,
        [template.der, dit.caDn, caKey, CA_INSTANCE, SERIAL_BASE.toString(), meterIdPrefix, from, to],
      );
      log(`  PostgreSQL: ${to} / ${count} meter entries`);
    }
    await client.query('VACUUM ANALYZE directory_entry');
    // The load's dirty pages are written now, as slapadd's are before slapd starts: otherwise the checkpoint they
    // cause runs during the first timed figure (the bench connects as a superuser).
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
