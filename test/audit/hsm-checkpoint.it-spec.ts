/**
 * The audit trail sealed by a key in a real token (SoftHSM2): checkpoints signed by a brainpoolP256r1 key through the
 * PKCS#11 key manager verify with that key's public half, and openssl agrees; no other key vouches for them; edited
 * and deleted rows are named. (audit-trail-suite.ts covers the trail's behaviour with a software signer.)
 */
import { AuditCheckpoint, AuditTrail, checkpointPayload, formatAuditVerificationReport, verifyAuditChain, type AuditVerificationReport } from '@smpki/audit';
import type { EcPublicKey, Signer } from '@smpki/hsm';
import { opensslVerify } from '../hsm/support/openssl';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';
import { sqliteTestDatabase, type TestDatabase } from '../persistence/support/test-databases';

const EVENTS = 12;
const CHECKPOINT_EVERY = 5;

describe('audit trail sealed by an HSM key', () => {
  let hsm: TestKeyManager;
  let signer: Signer;
  /** Another brainpoolP256r1 key of the same token: signs nothing in the trail. */
  let otherKey: EcPublicKey;
  let db: TestDatabase;

  beforeAll(async () => {
    hsm = await openTestKeyManager();
    await hsm.km.createEcKeyPair(hsm.uri('audit-checkpoint'), 'brainpoolP256r1');
    signer = await hsm.km.createSigner(hsm.uri('audit-checkpoint'));
    otherKey = await hsm.km.createEcKeyPair(hsm.uri('other-checkpoint'), 'brainpoolP256r1');
    db = await sqliteTestDatabase();
  });

  afterAll(async () => {
    await db?.remove();
    await hsm?.dispose();
  });

  // A fresh trail for each test: 12 events, sealed automatically at 5 and 10 and by an explicit checkpoint at 12.
  beforeEach(async () => {
    for (const table of ['audit_checkpoint', 'audit_event', 'audit_head']) await db.dataSource.query(`DELETE FROM ${table}`);
    const trail = new AuditTrail(db.dataSource, { service: 'sub-ca', checkpointSigner: signer, checkpointEvery: CHECKPOINT_EVERY });
    for (let n = 1; n <= EVENTS; n++) {
      await trail.append({ action: 'certificate.issued', outcome: 'success', actor: 'CN=operator-1', target: `serial:${n}`, details: { n } });
    }
    expect(await trail.checkpoint()).toMatchObject({ seq: EVENTS, signerKeyUri: hsm.uri('audit-checkpoint') });
  });

  const verify = (trusted: Buffer[] = [signer.publicKey.spki]): Promise<AuditVerificationReport> =>
    verifyAuditChain(db.dataSource, { trustedCheckpointKeys: trusted });

  it('verifies every entry and checkpoint with the public key read from the token', async () => {
    expect(await verify([(await hsm.km.getPublicKey(hsm.uri('audit-checkpoint'))).spki])).toEqual({
      ok: true,
      entriesVerified: EVENTS,
      checkpointsVerified: 3,
      lastSeq: EVENTS,
      sealedThroughSeq: EVENTS,
      unsealedEntries: 0,
    });
  });

  it('stores checkpoints that openssl verifies: plain ECDSA-with-SHA-256 over the documented payload', async () => {
    const checkpoints = await db.dataSource.getRepository(AuditCheckpoint).find({ order: { seq: 'ASC' } });
    expect(checkpoints.map((checkpoint) => checkpoint.seq)).toEqual([5, 10, 12]);
    for (const checkpoint of checkpoints) {
      expect(checkpoint.signerSpki.equals(signer.publicKey.spki)).toBe(true);
      expect(opensslVerify(signer.publicKey.spki, checkpointPayload(checkpoint), checkpoint.signature, 'sha256')).toBe('Verified OK');
    }
  });

  it('refuses the checkpoints when only another key is trusted, naming the key that signed them', async () => {
    const report = await verify([otherKey.spki]);
    expect(report).toMatchObject({ ok: false, checkpointsVerified: 0 });
    expect(report.firstBroken).toEqual({
      seq: CHECKPOINT_EVERY,
      problem: 'checkpoint-untrusted-key',
      message: `the checkpoint at seq ${CHECKPOINT_EVERY} is signed by an untrusted key (${hsm.uri('audit-checkpoint')})`,
    });
  });

  it('names an edited row', async () => {
    await db.dataSource.query(`UPDATE audit_event SET actor = 'CN=someone-else' WHERE seq = 7`);
    expect(formatAuditVerificationReport(await verify())).toBe('audit chain broken at seq 7: hash mismatch (row edited)');
  });

  it('names a deleted row', async () => {
    await db.dataSource.query('DELETE FROM audit_event WHERE seq = 6');
    expect(formatAuditVerificationReport(await verify())).toBe('audit chain broken at seq 6: entry missing (row deleted; the next entry is seq 7)');
  });
});
