/**
 * Issuance: a PKCS#10 or SM-PKI CRMF request (initial, or a renewal signed with the old signature key) is parsed (key checked, every proof of possession verified),
 * planned under the profile, checked with the profile rules, signed with the CA's HSM key, then stored and
 * audited in one transaction, shared with the other issuances waiting at that moment (issuance-batcher.ts). Anything refused is refused before the first signature: nothing is signed, stored
 * or half-issued (a CRMF request gets all three certificates or none).
 */
import {
  CertificateExtensionOids,
  parseCertificate,
  parseCertificationRequest,
  parseInitialRequest,
  parseName,
  parseSmPkiRequest,
  issueCertificate,
  type CrmfCertificateRequest,
} from '@smpki/crypto';
import type { AuditTrail } from '@smpki/audit';
import { ProblemException } from '@smpki/platform';
import { checkIssuanceRequest, SM_PKI_PROFILES, type ProfileSet } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { parseOrRefuse, parseOrRefuseAsync, profileNotAllowed, profileViolated } from './ca-problems';
import type { CaRegistry } from './ca-registry';
import type { CertificateAuthority } from './certificate-authority';
import { planCertificate, type PlannedCertificate, type RequestedCertificate } from './certificate-template-builder';
import { newCertificateRow } from './certificate-row';
import type { CaCertificate } from './entities';
import { IssuanceBatcher } from './issuance-batcher';
import type { IssuedCertificate } from './issued-certificate';
import { renewalSignerStatus } from './renewal-signer-status';

/** What the audit record says about where a certificate came from. */
interface IssuanceDetails {
  source: 'pkcs10' | 'crmf-initial' | 'crmf-renewal';
  /** Serial of the old signature certificate that signed a renewal. */
  renewalOf?: string;
}

interface CheckedRequest {
  profile: string;
  plan: PlannedCertificate;
}

export class CertificateIssuer {
  /** Stores signed certificates with their audit events, many issuances per transaction (group commit). */
  private readonly batcher: IssuanceBatcher;

  constructor(
    private readonly registry: CaRegistry,
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly profiles: ProfileSet = SM_PKI_PROFILES,
    /** The time renewal signers are checked at (a test moves it past a signer's notAfter). */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.batcher = new IssuanceBatcher(dataSource, audit);
  }

  /** Issues one certificate under `profile` from a PKCS#10 request (PEM or DER). */
  async issueFromPkcs10(caName: string, profile: string, request: Uint8Array | string, requester: string): Promise<IssuedCertificate> {
    const ca = this.registry.get(caName);
    this.requireProfile(ca, profile);
    const parsed = parseOrRefuse(() => parseCertificationRequest(request));
    const san = parsed.requestedExtensions.find((extension) => extension.oid === CertificateExtensionOids.subjectAltName);
    const checked = this.check(ca, profile, { subject: parsed.subject.der, subjectPublicKeyInfo: parsed.publicKey.spki, ...(san ? { subjectAltName: san.value } : {}) });
    const [issued] = await this.signAndStore(ca, [checked], requester, { source: 'pkcs10' });
    return issued!;
  }

  /**
   * Issues a certificate for every request of an SM-PKI initial request (normally SIG, ENC and TLS), each under
   * the CA's profile for its purpose: `sm-gateway-<purpose>` for a `.SMGW` subject, else `sm-user-<purpose>`.
   */
  async issueFromInitialRequest(caName: string, request: Uint8Array, requester: string): Promise<IssuedCertificate[]> {
    const ca = this.registry.get(caName);
    const parsed = parseOrRefuse(() => parseInitialRequest(request));
    return this.issueCrmf(ca, parsed.requests, requester, { source: 'crmf-initial' });
  }

  /**
   * Issues from an SM-PKI request of either kind. A renewal (0.4.0.127.0.7.4.1.1.2) must be signed by a signature
   * certificate one of this service's CAs issued, valid now and not revoked (crmf.signer-expired,
   * crmf.signer-revoked, crmf.signer-unknown, crmf.signer-untrusted otherwise); its new requests are then issued
   * like an initial request's.
   */
  async issueFromSmPkiRequest(caName: string, request: Uint8Array, requester: string): Promise<IssuedCertificate[]> {
    const ca = this.registry.get(caName);
    const parsed = await parseOrRefuseAsync(() =>
      parseSmPkiRequest(request, {
        trustedIssuers: this.registry.certificates(),
        signerStatus: (signer) => renewalSignerStatus(this.registry, this.dataSource, signer),
        now: this.clock(),
      }),
    );
    if (parsed.kind === 'initial') return this.issueCrmf(ca, parsed.requests, requester, { source: 'crmf-initial' });
    return this.issueCrmf(ca, parsed.requests, requester, { source: 'crmf-renewal', renewalOf: parsed.signer.serialNumber });
  }

  /** Each request under the CA's profile for its purpose; all checked before the first is signed. */
  private issueCrmf(ca: CertificateAuthority, requests: readonly CrmfCertificateRequest[], requester: string, details: IssuanceDetails): Promise<IssuedCertificate[]> {
    const checked = requests.map((entry, index) => {
      const profile = this.crmfProfile(ca, entry, index);
      const san = entry.extensions.find((extension) => extension.extnID === CertificateExtensionOids.subjectAltName);
      return this.check(ca, profile, {
        subject: entry.subjectDer,
        subjectPublicKeyInfo: entry.publicKey.spki,
        ...(san ? { subjectAltName: Buffer.from(san.extnValue.buffer) } : {}),
      }, `requests[${index}]`);
    });
    return this.signAndStore(ca, checked, requester, details);
  }

  private requireProfile(ca: CertificateAuthority, profile: string): void {
    if (!ca.allowsProfile(profile) || !this.profiles[profile]) throw profileNotAllowed(ca.name, profile, ca.config.profiles);
  }

  private crmfProfile(ca: CertificateAuthority, request: CrmfCertificateRequest, index: number): string {
    if (!request.purpose) {
      const message = `requests[${index}] asks for no known purpose (key usage / extended key usage of SIG, ENC or TLS)`;
      throw new ProblemException({
        status: 422,
        type: 'certificate-profile-violation',
        title: 'Certificate profile violated',
        detail: message,
        errors: [{ field: `requests[${index}]`, rule: 'crmf.purpose-unknown', message }],
        recordRefusal: true,
      });
    }
    const gateway = (parseName(request.subjectDer).get('CN') ?? '').split('.').includes('SMGW');
    const profile = `${gateway ? 'sm-gateway' : 'sm-user'}-${request.purpose}`;
    this.requireProfile(ca, profile);
    return profile;
  }

  private check(ca: CertificateAuthority, profile: string, requested: RequestedCertificate, field = 'request'): CheckedRequest {
    const plan = planCertificate(ca, this.profiles[profile]!, requested, new Date());
    const result = checkIssuanceRequest(plan.candidate, { profile, issuer: ca.facts, profiles: this.profiles });
    const errors = result.findings.filter((finding) => finding.severity === 'error');
    if (errors.length > 0) throw profileViolated(profile, errors, field);
    return { profile, plan };
  }

  private async signAndStore(ca: CertificateAuthority, requests: CheckedRequest[], requester: string, extra: IssuanceDetails): Promise<IssuedCertificate[]> {
    const signed = await Promise.all(
      requests.map(async ({ profile, plan }) => ({ profile, certificate: parseCertificate(await issueCertificate(plan.template, ca.signer)) })),
    );
    const now = new Date();
    const rows = signed.map(({ profile, certificate }) => newCertificateRow(ca.id, certificate, profile, requester, now));
    const events = rows.map((row) => ({
      action: 'ca.certificate.issue',
      outcome: 'success' as const,
      actor: requester,
      target: `${ca.name}/${row.serial}`,
      details: { ca: ca.name, serial: row.serial, profile: row.profile, subject: row.subject, fingerprint: row.fingerprint, notAfter: row.notAfter.toISOString(), ...extra },
    }));
    await this.batcher.store({ rows, events });
    return rows.map((row) => issuedView(ca, row));
  }
}

/** The answer for a stored certificate. */
export function issuedView(ca: CertificateAuthority, row: CaCertificate): IssuedCertificate {
  return {
    ca: ca.name,
    serial: row.serial,
    profile: row.profile,
    subject: row.subject,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    fingerprint: row.fingerprint,
    status: row.status,
    der: row.der,
    pem: parseCertificate(row.der).toPem(),
    chain: ca.chainPem(),
  };
}
