/**
 * The root key ceremony: the root key pair is generated in the HSM, the self-signed root certificate is signed
 * after the `sm-root-ca` profile, the root is registered as a CA authority and a transcript signed with the new
 * key is written to the audit trail, all or nothing: a failure after key generation destroys the new key, so
 * the ceremony can be repeated with the same file.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@smpki/audit';
import { nameDer, type ParsedCertificate } from '@smpki/crypto';
import type { KeyManager, Signer } from '@smpki/hsm';
import { runInTransaction } from '@smpki/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { CaAuthority } from '../entities';
import type { CeremonyDefinition } from './ceremony-file';
import { signCeremonyTranscript, type CeremonyTranscript, type SignedCeremonyTranscript } from './ceremony-transcript';
import { rootCaRefused } from './root-ca-problems';
import { rootProfiles, selfSignRoot } from './root-certificates';
import { ROOT_PROFILES } from './root-authority';

export interface CeremonyResult {
  /** ca_authority.id of the new root generation. */
  authorityId: string;
  certificate: ParsedCertificate;
  transcript: SignedCeremonyTranscript;
  /** The CRL-signer certificate, when the ceremony file asks for an indirect root CRL. */
  crlSigner?: ParsedCertificate;
}

/** Refuses before anything is generated: an existing key under the URI or a root of the same name. */
export async function refuseExisting(keys: KeyManager, dataSource: DataSource, name: string, keyUri: string): Promise<void> {
  // Never overwrite (or reuse) key material: a root key is made once.
  if (await keys.findKey(keyUri)) throw rootCaRefused(409, 'ceremony.key-exists', 'keyUri', `the HSM already holds a key ${keyUri}`);
  if (await dataSource.getRepository(CaAuthority).exists({ where: { name } })) {
    throw rootCaRefused(409, 'ceremony.name-exists', 'name', `a CA named "${name}" already exists`);
  }
}

/** Generates the key, runs `withKey` with its signer; destroys the new key if `withKey` fails. */
export async function withNewRootKey<T>(keys: KeyManager, keyUri: string, curve: CeremonyDefinition['curve'], withKey: (signer: Signer) => Promise<T>): Promise<T> {
  await keys.createEcKeyPair(keyUri, curve, { usages: ['sign'] });
  try {
    return await withKey(await keys.createSigner(keyUri));
  } catch (error) {
    await keys.destroyKey(keyUri).catch(() => undefined);
    throw error;
  }
}

export interface RegisteredRoot {
  name: string;
  signer: Signer;
  certificate: ParsedCertificate;
  crl: CeremonyDefinition['crl'];
  aiaUrl?: string;
}

/** Writes the root's ca_authority row and the signed transcript to the audit trail in one transaction. */
export async function registerRoot(
  dataSource: DataSource,
  audit: AuditTrail,
  root: RegisteredRoot,
  transcript: CeremonyTranscript,
  /** More rows to write in the same transaction (a rollover's link certificates). */
  alongside?: (manager: EntityManager, authorityId: string) => Promise<void>,
): Promise<{ authorityId: string; transcript: SignedCeremonyTranscript }> {
  const signed = await signCeremonyTranscript(transcript, root.signer);
  const authorityId = randomUUID();
  await runInTransaction(dataSource, async (manager) => {
    await manager.insert(CaAuthority, {
      id: authorityId,
      name: root.name,
      keyUri: root.signer.keyUri,
      certificate: root.certificate.der,
      profiles: ROOT_PROFILES.join(','),
      crlUrls: [root.crl.ldap, root.crl.http].filter(Boolean).join(' '),
      aiaUrl: root.aiaUrl ?? null,
      crlValidityHours: root.crl.validityHours,
      updatedAt: new Date(),
    });
    await audit.append(
      { action: transcript.kind, outcome: 'success', actor: transcript.operator, target: root.name, details: { ...signed } },
      manager,
    );
    await alongside?.(manager, authorityId);
  });
  return { authorityId, transcript: signed };
}

export async function runKeyCeremony(definition: CeremonyDefinition, context: { keys: KeyManager; dataSource: DataSource; audit: AuditTrail; operator: string }): Promise<CeremonyResult> {
  const { keys, dataSource, audit, operator } = context;
  await refuseExisting(keys, dataSource, definition.name, definition.keyUri);
  const now = new Date();
  return withNewRootKey(keys, definition.keyUri, definition.curve, async (signer) => {
    const certificate = await selfSignRoot(nameDer(definition.subject), signer, definition.policyOids, rootProfiles(definition.validityYears), now);
    const registered = await registerRoot(
      dataSource,
      audit,
      { name: definition.name, signer, certificate, crl: definition.crl, ...(definition.aiaUrl ? { aiaUrl: definition.aiaUrl } : {}) },
      {
        kind: 'root-ca.ceremony',
        ceremony: definition.name,
        operator,
        at: now.toISOString(),
        keyUri: definition.keyUri,
        curve: definition.curve,
        subject: certificate.subject.toString(),
        certificateSha256: certificate.fingerprint(),
        ceremonyFileSha256: definition.fileSha256,
      },
    );
    return { ...registered, certificate };
  });
}
