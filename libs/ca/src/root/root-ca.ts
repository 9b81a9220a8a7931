/**
 * The offline root CA's operations on one database, HSM and audit trail, for the CLI (`smpki root-ca`) and the
 * root-ca service's API alike. Certification, revocation and CRLs go through the sub-CA issuance core
 * (CertificateIssuer, CertificateRevoker, CrlPublisher) with the root generation as its CA instance.
 */
import type { AuditTrail } from '@smpki/audit';
import { randomUUID } from 'node:crypto';
import { createCertificationRequest, parseCertificate, type CrlReason, type ParsedCertificate } from '@smpki/crypto';
import { formatPkcs11Uri, parsePkcs11Uri, type KeyManager } from '@smpki/hsm';
import { SM_PKI_PROFILES, type ProfileSet } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { CertificateIssuer } from '../certificate-issuer';
import { CertificateRevoker } from '../certificate-revoker';
import { CrlPublisher } from '../crl-publisher';
import { CaAuthority, type CaCrl } from '../entities';
import type { IssuedCertificate } from '../issued-certificate';
import type { CeremonyDefinition, RootCurve } from './ceremony-file';
import { crlSignerAuthorityName, crlSignerCertificate, findCrlSigner } from './crl-signer';
import { publishIndirectCrl } from './indirect-crl-publisher';
import { runKeyCeremony, withNewRootKey, type CeremonyResult } from './key-ceremony';
import { rootCaRefused } from './root-ca-problems';
import { findRootAuthority, openRootRegistry } from './root-authority';
import { nextGenerationName, rolloverRoot, type RolloverRequest, type RolloverResult } from './root-rollover';
import { classifySubCaRequest } from './sub-ca-request';

/** The profiles a root certifies others under; a link certificate is only made by a rollover. */
const CERTIFY_PROFILES = ['sm-sub-ca', 'sm-crl-signer'];

/** A CRL signer's key and name, as the ceremony file gives them (or a rollover derives them). */
interface CrlSignerDefinition {
  keyUri: string;
  subject: Parameters<typeof createCertificationRequest>[0]['subject'];
}

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
    return { ...result, crlSigner: await this.createCrlSigner(definition.name, definition.curve, signer, operator) };
  }

  /** The CRL signer's key (the root's curve), its request signed in the HSM, certified under sm-crl-signer. */
  private createCrlSigner(rootName: string, curve: RootCurve, crlSigner: CrlSignerDefinition, operator: string): Promise<ParsedCertificate> {
    return withNewRootKey(this.keys, crlSigner.keyUri, curve, async (signer) => {
      const request = await createCertificationRequest({ subject: crlSigner.subject }, signer);
      const issued = await this.certify(rootName, request, operator, 'sm-crl-signer');
      const root = await findRootAuthority(this.dataSource, rootName);
      await this.dataSource.getRepository(CaAuthority).insert({
        id: randomUUID(),
        name: crlSignerAuthorityName(rootName),
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

  /**
   * Certifies a PKCS#10 request or an SM-PKI CRMF initial request (PEM, DER or base64) under `sm-sub-ca` (default)
   * or `sm-crl-signer`, stored and audited; the request's proof of possession is verified either way.
   */
  async certify(root: string, request: Uint8Array | string, requester: string, profile = 'sm-sub-ca'): Promise<IssuedCertificate> {
    if (!CERTIFY_PROFILES.includes(profile)) {
      throw rootCaRefused(422, 'profile.not-allowed', 'profile', `a root certifies under ${CERTIFY_PROFILES.join(' or ')}, not "${profile}"`);
    }
    const registry = await openRootRegistry(this.dataSource, this.keys, [root]);
    const classified = classifySubCaRequest(request);
    const issuer = new CertificateIssuer(registry, this.dataSource, this.audit, this.profiles);
    if (classified.kind === 'crmf') return issuer.issueFromSingleCrmf(root, profile, classified.request, requester);
    return issuer.issueFromPkcs10(root, profile, classified.request, requester);
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

  /**
   * A new root generation with link certificates. When the old generation's CRL is indirect, the new one gets its
   * own CRL signer (key at `crlSignerKeyUri`, default: the root key's object name + `-crl`; name with the
   * generation counter + 1), certified by the new root, so the new root's CRL is indirect again.
   */
  async rollover(request: RolloverRequest, operator: string): Promise<RolloverResult> {
    const oldCrlSigner = await findCrlSigner(this.dataSource, request.from);
    const crlSignerKeyUri = oldCrlSigner ? request.crlSignerKeyUri ?? defaultCrlSignerKeyUri(request.keyUri) : undefined;
    // Refused before the new root key is generated, so a failed rollover can be run again unchanged.
    if (crlSignerKeyUri && (crlSignerKeyUri === request.keyUri || (await this.keys.findKey(crlSignerKeyUri)))) {
      throw rootCaRefused(409, 'ceremony.key-exists', 'crlSignerKeyUri', `the CRL signer needs a new key, but ${crlSignerKeyUri} is taken`);
    }
    const result = await rolloverRoot(request, { keys: this.keys, dataSource: this.dataSource, audit: this.audit, operator });
    if (!oldCrlSigner || !crlSignerKeyUri) return result;
    const subject = nextGenerationName(crlSignerCertificate(oldCrlSigner));
    const curve = (await this.keys.createSigner(request.keyUri)).curve as RootCurve;
    return { ...result, crlSigner: await this.createCrlSigner(request.name, curve, { keyUri: crlSignerKeyUri, subject }, operator) };
  }
}

/** `pkcs11:token=t;object=root-2` -> `pkcs11:token=t;object=root-2-crl`; refused when the URI names no token and object. */
function defaultCrlSignerKeyUri(rootKeyUri: string): string {
  const { token, object } = parsePkcs11Uri(rootKeyUri);
  if (!token || !object) {
    throw rootCaRefused(400, 'rollover.crl-signer-key-uri', 'crlSignerKeyUri', 'the old root has a CRL signer: name the new CRL signer key (crlSignerKeyUri)');
  }
  return formatPkcs11Uri({ token, object: `${object}-crl` });
}
