/**
 * Root rollover: a new root generation with a new HSM key, the same name but serialNumber = generation + 1, and
 * two link certificates so relying parties move over without a gap: new-with-old (the new key certified by the
 * old root: whoever trusts the old root accepts what the new root signs) and old-with-new (the reverse, for those
 * who already trust the new root and meet a sub-CA of the old one). Both are stored as certificates of the root
 * that signed them (profile `sm-link`), the new root is registered and a signed transcript audited.
 */
import type { AuditTrail } from '@smpki/audit';
import { nameDer, type ParsedCertificate } from '@smpki/crypto';
import type { KeyManager } from '@smpki/hsm';
import type { DataSource } from 'typeorm';
import { newCertificateRow } from '../certificate-row';
import { CaCertificate } from '../entities';
import type { RootCurve } from './ceremony-file';
import { findRootAuthority, rootInstanceConfig } from './root-authority';
import { refuseExisting, registerRoot, withNewRootKey } from './key-ceremony';
import { issueLinkCertificate, rootProfiles, selfSignRoot } from './root-certificates';
import type { SignedCeremonyTranscript } from './ceremony-transcript';

export interface RolloverRequest {
  /** ca_authority name of the current root generation. */
  from: string;
  /** ca_authority name of the new generation. */
  name: string;
  keyUri: string;
  /** Default: the current root's curve. */
  curve?: RootCurve;
  validityYears?: number;
  /** Key of the new generation's CRL signer, when the old one has one (RootCa.rollover; default `<object>-crl`). */
  crlSignerKeyUri?: string;
}

export interface RolloverResult {
  authorityId: string;
  root: ParsedCertificate;
  /** The new root's key and name, certified by the old root. */
  newWithOld: ParsedCertificate;
  /** The old root's key and name, certified by the new root. */
  oldWithNew: ParsedCertificate;
  transcript: SignedCeremonyTranscript;
  /** The new generation's CRL-signer certificate, when the old generation's CRL was indirect. */
  crlSigner?: ParsedCertificate;
}

/** The old root's name with the serialNumber RDN (the generation counter) incremented, every string type kept. */
export function nextGenerationName(old: ParsedCertificate): ReturnType<ParsedCertificate['subject']['toDistinguishedName']> {
  return old.subject.toDistinguishedName().map((rdn) =>
    rdn.map((attribute) => (attribute.type === 'serialNumber' ? { ...attribute, value: String(Number(attribute.value) + 1) } : attribute)),
  );
}

export async function rolloverRoot(request: RolloverRequest, context: { keys: KeyManager; dataSource: DataSource; audit: AuditTrail; operator: string }): Promise<RolloverResult> {
  const { keys, dataSource, audit, operator } = context;
  const oldRow = await findRootAuthority(dataSource, request.from);
  const old = rootInstanceConfig(oldRow);
  await refuseExisting(keys, dataSource, request.name, request.keyUri);
  const oldSigner = await keys.createSigner(old.keyUri);
  const curve = request.curve ?? (oldSigner.curve as RootCurve);
  const profiles = rootProfiles(request.validityYears ?? 10);
  const policyOids = old.certificate.certificatePolicies()?.map((policy) => policy.policy) ?? [];
  const now = new Date();
  return withNewRootKey(keys, request.keyUri, curve, async (signer) => {
    const root = await selfSignRoot(nameDer(nextGenerationName(old.certificate)), signer, policyOids, profiles, now);
    const newWithOld = await issueLinkCertificate(root, old.certificate, oldSigner, policyOids, profiles, now);
    const oldWithNew = await issueLinkCertificate(old.certificate, root, signer, policyOids, profiles, now);
    const { ldap, http } = old.crlDistributionPoints;
    const registered = await registerRoot(
      dataSource,
      audit,
      { name: request.name, signer, certificate: root, crl: { ldap, http, validityHours: old.crlValidityHours }, ...(old.aiaUrl ? { aiaUrl: old.aiaUrl } : {}) },
      {
        kind: 'root-ca.rollover',
        ceremony: request.name,
        operator,
        at: now.toISOString(),
        keyUri: request.keyUri,
        curve,
        subject: root.subject.toString(),
        certificateSha256: root.fingerprint(),
        linkCertificates: { newWithOld: newWithOld.fingerprint(), oldWithNew: oldWithNew.fingerprint() },
        previousRoot: request.from,
      },
      async (manager, authorityId) => {
        await manager.insert(CaCertificate, linkRow(oldRow.id, newWithOld, operator, now));
        await manager.insert(CaCertificate, linkRow(authorityId, oldWithNew, operator, now));
      },
    );
    return { authorityId: registered.authorityId, root, newWithOld, oldWithNew, transcript: registered.transcript };
  });
}

function linkRow(authorityId: string, certificate: ParsedCertificate, requester: string, issuedAt: Date): CaCertificate {
  return newCertificateRow(authorityId, certificate, 'sm-link', requester, issuedAt);
}
