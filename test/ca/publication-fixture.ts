/**
 * What the publication tests publish: a real CA pair (keys in SoftHSM2) on a test database, issuing, revoking
 * and signing CRLs through the real services, so every outbox row comes from the transaction that made it.
 */
import { AuditTrail } from '@smpki/audit';
import { CaRegistry, CertificateIssuer, CertificateRevoker, CrlPublisher, PublicationOutbox, type IssuedCertificate } from '@smpki/ca';
import type { TestDatabase, TestDatabaseFactory } from '../persistence/support/test-databases';
import { createCaTestPki, opensslRequest, type CaTestPki } from './support/ca-test-pki';

const REQUESTER = 'CN=operator-1';
export const METER_ID = '1EMH0000000001';

export interface PublicationFixture {
  pki: CaTestPki;
  db: TestDatabase;
  issueUserCertificate(name: string): Promise<IssuedCertificate>;
  issueMeterCertificate(name: string, meterId: string): Promise<IssuedCertificate>;
  revoke(serial: string): Promise<void>;
  signCrl(): Promise<void>;
  signDeltaCrl(): Promise<void>;
  /** The outbox, oldest first. */
  outbox(): Promise<PublicationOutbox[]>;
  dispose(): Promise<void>;
}

export async function openPublicationFixture(openDatabase: TestDatabaseFactory): Promise<PublicationFixture> {
  const pki = await createCaTestPki();
  const db = await openDatabase();
  const audit = new AuditTrail(db.dataSource, { service: 'sub-ca' });
  const registry = await CaRegistry.open(pki.configs, pki.hsm.km, db.dataSource);
  const issuer = new CertificateIssuer(registry, db.dataSource, audit);
  const crls = new CrlPublisher(registry, db.dataSource, audit);
  // No CRL on revocation here: the tests sign CRLs themselves, so they know every row.
  const revoker = new CertificateRevoker(registry, db.dataSource, audit, async () => undefined);
  return {
    pki,
    db,
    issueUserCertificate: (name) => issuer.issueFromPkcs10('market', 'sm-user-tls', opensslRequest(pki.workspace, name), REQUESTER),
    issueMeterCertificate: (name, meterId) =>
      issuer.issueFromPkcs10('calibration', 'meter-calibration', opensslRequest(pki.workspace, name, { subject: `/CN=${meterId}/serialNumber=${meterId}`, extensions: [] }), REQUESTER),
    revoke: async (serial) => {
      await revoker.revoke('market', serial, { reason: 'keyCompromise' }, REQUESTER);
    },
    signCrl: async () => {
      await crls.issueCrl('market', REQUESTER);
    },
    signDeltaCrl: async () => {
      await crls.issueDeltaCrl('market', REQUESTER);
    },
    outbox: () => db.dataSource.getRepository(PublicationOutbox).find({ order: { createdAt: 'ASC', id: 'ASC' } }),
    dispose: async () => {
      await db.remove();
      await pki.dispose();
    },
  };
}

/** What an entry stands for, to compare with outbox rows: `<ca>/certificate:<serial>` or `<ca>/crl:<number>`. */
export function entryKey(entry: { kind: string; ca: string; serial?: string; crlNumber?: number }): string {
  return entry.kind === 'certificate' ? `${entry.ca}/certificate:${entry.serial}` : `${entry.ca}/crl:${entry.crlNumber}`;
}

export function rowKey(row: PublicationOutbox): string {
  return row.kind === 'certificate' ? `${row.ca}/certificate:${row.serial}` : `${row.ca}/crl:${row.crlNumber}`;
}
