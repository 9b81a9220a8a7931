/**
 * A CRL of tens of thousands of revoked certificates through the service path on PostgreSQL: CrlPublisher reads the
 * rows page by page (revoked-entries.ts) and signs with the CA's SoftHSM2 key. Every revoked serial of the CA is in
 * the CRL with its date, reason and invalidity date; no certificate of another CA and no good one is; openssl
 * accepts the signature. Timing lives in bench/crl (its service stage), not here.
 */
import { AuditTrail } from '@smpki/audit';
import { CaCrl, CaRegistry, CrlPublisher, REVOKED_PAGE_SIZE } from '@smpki/ca';
import { parseCrl } from '@smpki/crypto';
import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase, type TestDatabase } from '../persistence/support/test-databases';
import { createCaTestPki, type CaTestPki } from './support/ca-test-pki';
import { insertRevokedRows, type RevokedRow } from './support/revoked-rows';

// Not a multiple of the page size, so the last page is a short one.
const REVOKED = 20_003;
const OTHER_CA_REVOKED = 500;
const REINSTATED = 3;

describePostgres('a CRL of 20,000 revoked certificates through CrlPublisher on PostgreSQL', () => {
  jest.setTimeout(60_000);
  let pki: CaTestPki;
  let db: TestDatabase;
  let registry: CaRegistry;
  let crls: CrlPublisher;
  const revoked = new Map<string, RevokedRow>();
  const otherCaSerials: string[] = [];

  beforeAll(async () => {
    pki = await createCaTestPki();
    db = await postgresTestDatabase();
    registry = await CaRegistry.open(pki.configs, pki.hsm.km, db.dataSource);
    crls = new CrlPublisher(registry, db.dataSource, new AuditTrail(db.dataSource, { service: 'sub-ca' }));
    await insertRevokedRows(db.dataSource, registry.get('market').id, REVOKED + REINSTATED, (row) => revoked.set(row.serial, row));
    await insertRevokedRows(db.dataSource, registry.get('calibration').id, OTHER_CA_REVOKED, (row) => otherCaSerials.push(row.serial));
    // A few rows made good again: the CRL lists revoked certificates only.
    const reinstated = [...revoked.keys()].slice(0, REINSTATED);
    await db.dataSource.query(`UPDATE ca_certificate SET status = 'good', revoked_at = NULL, revocation_reason = NULL, invalidity_date = NULL WHERE serial = ANY($1)`, [reinstated]);
    reinstated.forEach((serial) => revoked.delete(serial));
  }, 120_000);
  afterAll(async () => {
    await db?.remove();
    await pki?.dispose();
  });

  it('lists every revoked serial of the CA with its date, reason and invalidity date, and nothing else', async () => {
    expect(REVOKED).toBeGreaterThan(2 * REVOKED_PAGE_SIZE);
    const crl = await crls.issueCrl('market', 'CN=operator-1');
    const parsed = parseCrl(crl.der);
    expect(parsed.verifySignature(pki.sub.certificate)).toBe(true);
    expect(parsed.entryCount()).toBe(REVOKED);

    const unexpected: string[] = [];
    const mismatched: string[] = [];
    const listed = new Set<string>();
    for (const entry of parsed.entries()) {
      const row = revoked.get(entry.serialNumberHex);
      if (!row) {
        unexpected.push(entry.serialNumberHex);
        continue;
      }
      listed.add(entry.serialNumberHex);
      if (
        entry.revocationDate.getTime() !== row.revokedAt.getTime() ||
        entry.reason !== (row.reason ?? undefined) ||
        entry.invalidityDate?.getTime() !== row.invalidityDate?.getTime()
      ) {
        mismatched.push(entry.serialNumberHex);
      }
    }
    expect({ unexpected, mismatched, missing: [...revoked.keys()].filter((serial) => !listed.has(serial)) }).toEqual({ unexpected: [], mismatched: [], missing: [] });
    expect(otherCaSerials.some((serial) => listed.has(serial))).toBe(false);

    // Stored as signed, and openssl verifies the signature with the CA certificate.
    const stored = await db.dataSource.getRepository(CaCrl).findOneByOrFail({ id: crl.id });
    expect(stored.der.equals(crl.der)).toBe(true);
    pki.workspace.write('large.crl', crl.der);
    expect(pki.workspace.run(['crl', '-inform', 'DER', '-in', 'large.crl', '-CAfile', 'sub.pem', '-noout']).output).toContain('verify OK');
  });
});
