/**
 * The offline root CA's operations on one database, HSM and audit trail, for the CLI (`smpki root-ca`) and the
 * root-ca service's API alike. Certification, revocation and CRLs go through the sub-CA issuance core
 * (CertificateIssuer, CertificateRevoker, CrlPublisher) with the root generation as its CA instance.
 */
import type { AuditTrail } from '@smpki/audit';
import { randomUUID } from 'node:crypto';
import { createCertificationRequest, parseCertificate, type CrlReason, type ParsedCertificate } from '@smpki/crypto';
import type { KeyManager } from '@smpki/hsm';
import { SM_PKI_PROFILES, type ProfileSet } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { CertificateIssuer } from '../certificate-issuer';
import { CertificateRevoker } from '../certificate-revoker';
import { CrlPublisher } from '../crl-publisher';
import { CaAuthority, type CaCrl } from '../entities';
import type { IssuedCertificate } from '../issued-certificate';
import type { CeremonyDefinition } from './ceremony-file';
import { crlSignerAuthorityName, crlSignerCertificate, findCrlSigner } from './crl-signer';
import { publishIndirectCrl } from './indirect-crl-publisher';
import { runKeyCeremony, withNewRootKey, type CeremonyResult } from './key-ceremony';
import { rootCaRefused } from './root-ca-problems';
import { findRootAuthority, openRootRegistry } from './root-authority';
import { rolloverRoot, type RolloverRequest, type RolloverResult } from './root-rollover';

/** The profiles a root certifies others under; a link certificate is only made by a rollover. */
const CERTIFY_PROFILES = ['sm-sub-ca', 'sm-crl-signer'];

export class RootCa {
  constructor(
    private readonly keys: KeyManager,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly profiles: ProfileSet = SM_PKI_PROFILES,
  ) {}

  /** Runs the key ceremony a ceremony file describes; with `crl.signer`, also certifies the root's CRL signer. */
  async ceremony(definition: CeremonyDefinition, operator: string): Promise<CeremonyResult> {
    const signer = definition.crl.signer;
    if (signer && (await this.keys.findKey(signer.keyUri))) {
      throw rootCaRefused(409, 'ceremony.key-exists', 'crl.signer.keyUri', `the HSM already holds a key ${signer.keyUri}`);
    }
    const result = await runKeyCeremony(definition, { keys: this.keys, dataSource: this.dataSource, audit: this.audit, operator });
    if (!signer) return result;
    return { ...result, crlSigner: await this.createCrlSigner(definition, signer, operator) };
  }

  /** The CRL signer's key (the root's curve), its request signed in the HSM, certified under sm-crl-signer. */
  private createCrlSigner(definition: CeremonyDefinition, crlSigner: NonNullable<CeremonyDefinition['crl']['signer']>, operator: string): Promise<ParsedCertificate> {
    return withNewRootKey(this.keys, crlSigner.keyUri, definition.curve, async (signer) => {
      const request = await createCertificationRequest({ subject: crlSigner.subject }, signer);
      const issued = await this.certify(definition.name, request, operator, 'sm-crl-signer');
      const root = await findRootAuthority(this.dataSource, definition.name);
      await this.dataSource.getRepository(CaAuthority).insert({
        id: randomUUID(),
        name: crlSignerAuthorityName(definition.name),
        keyUri: crlSigner.keyUri,
        certificate: issued.der,
        profiles: '',
        crlUrls: root.crlUrls,
        aiaUrl: null,
        crlValidityHours: root.crlValidityHours,
        updatedAt: new Date(),
      });
      return parseCertificate(issued.der);
    });
  }

  /** Certifies a PKCS#10 request (PEM or DER) under `sm-sub-ca` (default) or `sm-crl-signer`, stored and audited. */
  async certify(root: string, request: Uint8Array | string, requester: string, profile = 'sm-sub-ca'): Promise<IssuedCertificate> {
    if (!CERTIFY_PROFILES.includes(profile)) {
      throw rootCaRefused(422, 'profile.not-allowed', 'profile', `a root certifies under ${CERTIFY_PROFILES.join(' or ')}, not "${profile}"`);
    }
    const registry = await openRootRegistry(this.dataSource, this.keys, [root]);
    return new CertificateIssuer(registry, this.dataSource, this.audit, this.profiles).issueFromPkcs10(root, profile, request, requester);
  }

  async revoke(root: string, serial: string, reason: CrlReason, requester: string, invalidityDate?: Date): Promise<IssuedCertificate> {
    const registry = await openRootRegistry(this.dataSource, this.keys, [root]);
    return new CertificateRevoker(registry, this.dataSource, this.audit).revoke(root, serial, { reason, ...(invalidityDate ? { invalidityDate } : {}) }, requester);
  }

  /** Signs the root's next full CRL (ARL): with the root key, or as an indirect CRL with its CRL signer's key. */
  async crl(root: string, requester: string): Promise<CaCrl> {
    const registry = await openRootRegistry(this.dataSource, this.keys, [root]);
    const crlSigner = await findCrlSigner(this.dataSource, root);
    if (!crlSigner) return new CrlPublisher(registry, this.dataSource, this.audit).issueCrl(root, requester);
    const signer = { certificate: crlSignerCertificate(crlSigner), signer: await this.keys.createSigner(crlSigner.keyUri) };
    return publishIndirectCrl(this.dataSource, this.audit, registry.get(root), signer, requester);
  }

  rollover(request: RolloverRequest, operator: string): Promise<RolloverResult> {
    return rolloverRoot(request, { keys: this.keys, dataSource: this.dataSource, audit: this.audit, operator });
  }
}
