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
  toPem,
  verifyProofOfPossession,
  verifyProofOfPossessionOn,
  type CrmfCertificateRequest,
  type ParsedCertificationRequest,
  type SignatureVerifierPool,
} from '@smpki/crypto';
import type { AuditEventInput, AuditTrail } from '@smpki/audit';
import { ProblemException, type ProblemDocument } from '@smpki/platform';
import { checkIssuanceRequest, SM_PKI_PROFILES, type ProfileSet } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { parseOrRefuse, parseOrRefuseAsync, profileNotAllowed, profileViolated } from './ca-problems';
import type { CaRegistry } from './ca-registry';
import type { CertificateAuthority } from './certificate-authority';
import { planCertificate, type PlannedCertificate, type RequestedCertificate } from './certificate-template-builder';
import { newCertificateRow } from './certificate-row';
import { PublicationOutbox, type CaCertificate } from './entities';
import { batchTooLarge, forItem, itemProblem, MAX_BATCH_ITEMS, type BatchItem, type BatchItemResult } from './batch-issuance';
import { IssuanceBatcher, type PendingIssuance } from './issuance-batcher';
import type { IssuedCertificate } from './issued-certificate';
import { publicationRow } from './publication';
import { renewalSignerStatus } from './renewal-signer-status';
import { requestFromText } from './request-text';
import { classifySubCaRequest, requestedFromSingleCrmf } from './root/sub-ca-request';
import type { CheckedKeyRequest, IssuanceAttachment, KeyRequestItem, StoredIssuance } from './subject-issuance';

/** What the audit record says about where a certificate came from. */
interface IssuanceDetails {
  source: 'pkcs10' | 'crmf-initial' | 'crmf-renewal';
  /** Serial of the old signature certificate that signed a renewal. */
  renewalOf?: string;
}

export interface CheckedRequest {
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
    /** Verifies proofs of possession on worker threads; without it they are verified on the event loop. */
    private readonly verifier?: SignatureVerifierPool,
  ) {
    this.batcher = new IssuanceBatcher(dataSource, audit);
  }

  /** Issues one certificate under `profile` from a PKCS#10 request (PEM or DER). */
  async issueFromPkcs10(caName: string, profile: string, request: Uint8Array | string, requester: string): Promise<IssuedCertificate> {
    const ca = this.registry.get(caName);
    const checked = await this.checkPkcs10(ca, { profile, request });
    const [issued] = await this.signAndStore(ca, [checked], requester, { source: 'pkcs10' });
    return issued!;
  }

  /**
   * Issues one certificate from an SM-PKI CRMF initial request with a single CertReqMsg (a sub-CA's request to its
   * root): its subject, key and subjectAltName are taken over as from PKCS#10 and checked under `profile`; the proof
   * of possession is verified by the parser. More than one CertReqMsg is refused (crmf.malformed).
   */
  async issueFromSingleCrmf(caName: string, profile: string, request: Uint8Array | string, requester: string): Promise<IssuedCertificate> {
    const ca = this.registry.get(caName);
    this.requireProfile(ca, profile);
    const checked = this.check(ca, profile, requestedFromSingleCrmf(request));
    const [issued] = await this.signAndStore(ca, [checked], requester, { source: 'crmf-initial' });
    return issued!;
  }

  /**
   * Issues a batch of PKCS#10 requests (a production line's batch of meters): one result per item, in order.
   * An item that is refused (unparseable, failed proof of possession, profile violation) gets its problem document
   * and an audit record; the others are issued. All proofs are verified before the first signature, all
   * certificates signed concurrently and stored with their audit events in as few transactions as the batcher
   * allows. An unknown CA or an oversized batch refuses the whole request.
   */
  async issueBatchFromPkcs10(caName: string, items: readonly BatchItem[], requester: string): Promise<BatchItemResult[]> {
    if (items.length > MAX_BATCH_ITEMS) throw batchTooLarge(items.length);
    const ca = this.registry.get(caName);
    const checked = await Promise.all(items.map((item) => this.checkPkcs10(ca, item).catch(itemProblem)));
    const signed = await Promise.all(checked.map((entry) => (isProblem(entry) ? entry : this.sign(ca, entry))));
    const stored = signed.map((entry, index) => {
      const issuance = isProblem(entry) ? refusalRecord(ca, items[index]!, index, entry, requester) : this.issuanceRecord(ca, [entry], requester, { source: 'pkcs10' });
      return this.batcher.store(issuance).then(
        () => issuance,
        (error: unknown) => notStored(error),
      );
    });
    const results = await Promise.all(stored);
    return results.map((outcome, index): BatchItemResult => {
      const entry = signed[index]!;
      if (isProblem(outcome)) return { status: 'failed', problem: forItem(outcome, index) };
      if (isProblem(entry)) return { status: 'refused', problem: forItem(entry, index) };
      return { status: 'issued', certificate: issuedView(ca, outcome.rows[0]!) };
    });
  }

  /** Parses, verifies (on the verifier pool when there is one) and checks one PKCS#10 request under its profile. */
  private async checkPkcs10(ca: CertificateAuthority, item: BatchItem): Promise<CheckedRequest> {
    this.requireProfile(ca, item.profile);
    // Text that is neither PEM nor base64 is refused here, per item, rather than failing the whole batch.
    const request = typeof item.request === 'string' ? requestFromText(item.request) : item.request;
    const parsed = await this.parsePkcs10(request);
    const san = parsed.requestedExtensions.find((extension) => extension.oid === CertificateExtensionOids.subjectAltName);
    return this.check(ca, item.profile, { subject: parsed.subject.der, subjectPublicKeyInfo: parsed.publicKey.spki, ...(san ? { subjectAltName: san.value } : {}) });
  }

  /** A PKCS#10 request parsed and its proof of possession verified; refusals name their rule. */
  private async parsePkcs10(request: Uint8Array | string): Promise<ParsedCertificationRequest> {
    const parsed = parseOrRefuse(() => parseCertificationRequest(request, { verifyProofOfPossession: false, validatePoint: !this.verifier }));
    await parseOrRefuseAsync(() => this.verifyPossession(parsed));
    return parsed;
  }

  /**
   * Checks a key request whose subject the platform chose (a meter: `CN=<id>, serialNumber=<id>` from the
   * registry): the request, PKCS#10 or an SM-PKI CRMF initial request with one CertReqMsg, only contributes its
   * key and the proof of possession of it; its subject and extensions are ignored. Refusals throw the same
   * problems as the other entry points. Nothing is signed yet: see issueChecked.
   */
  async checkKeyRequest(caName: string, item: KeyRequestItem): Promise<CheckedKeyRequest> {
    const ca = this.registry.get(caName);
    this.requireProfile(ca, item.profile);
    const text = typeof item.request === 'string' && !item.request.includes('-----BEGIN') ? requestFromText(item.request) : item.request;
    const classified = classifySubCaRequest(text);
    if (classified.kind === 'pkcs10') {
      const parsed = await this.parsePkcs10(classified.request);
      return { subjectPublicKeyInfo: parsed.publicKey.spki, source: 'pkcs10', checked: this.check(ca, item.profile, { subject: item.subject, subjectPublicKeyInfo: parsed.publicKey.spki }) };
    }
    const [entry] = parseOrRefuse(() => parseInitialRequest(classified.request, { maxRequests: 1 })).requests;
    return { subjectPublicKeyInfo: entry!.publicKey.spki, source: 'crmf-initial', checked: this.check(ca, item.profile, { subject: item.subject, subjectPublicKeyInfo: entry!.publicKey.spki }) };
  }

  /**
   * Signs checked key requests and stores each certificate together with what its attachment adds (rows of other
   * tables, changes, audit events) in one transaction, shared with other issuances waiting at that moment. One
   * result per entry, in order: an entry that cannot be signed or stored (a unique violation of its rows) is
   * `failed` with the error, and nothing of it is stored.
   */
  async issueChecked(
    caName: string,
    entries: readonly { request: CheckedKeyRequest; attach?: (certificate: CaCertificate) => IssuanceAttachment }[],
    requester: string,
  ): Promise<StoredIssuance[]> {
    const ca = this.registry.get(caName);
    return Promise.all(
      entries.map(async ({ request, attach }): Promise<StoredIssuance> => {
        try {
          const record = this.issuanceRecord(ca, [await this.sign(ca, request.checked)], requester, { source: request.source });
          const attachment = attach?.(record.rows[0]!) ?? {};
          await this.batcher.store({
            rows: record.rows,
            related: [...(record.related ?? []), ...(attachment.related ?? [])],
            ...(attachment.within ? { within: attachment.within } : {}),
            events: [...record.events, ...(attachment.events ?? [])],
          });
          return { status: 'issued', certificate: issuedView(ca, record.rows[0]!) };
        } catch (error) {
          return { status: 'failed', error, problem: notStored(error) };
        }
      }),
    );
  }

  private async verifyPossession(request: ParsedCertificationRequest): Promise<void> {
    if (this.verifier) await verifyProofOfPossessionOn(this.verifier, request);
    else verifyProofOfPossession(request);
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
    const signed = await Promise.all(requests.map((request) => this.sign(ca, request)));
    const issuance = this.issuanceRecord(ca, signed, requester, extra);
    await this.batcher.store(issuance);
    return issuance.rows.map((row) => issuedView(ca, row));
  }

  private async sign(ca: CertificateAuthority, { profile, plan }: CheckedRequest): Promise<SignedCertificate> {
    return { profile, certificate: parseCertificate(await issueCertificate(plan.template, ca.signer)) };
  }

  /**
   * The rows and audit events of certificates signed together (a CRMF request's three: all or none), with a
   * publication outbox row per certificate: the directory gets every certificate that was committed.
   */
  private issuanceRecord(ca: CertificateAuthority, signed: readonly SignedCertificate[], requester: string, extra: IssuanceDetails): PendingIssuance {
    const now = new Date();
    const rows = signed.map(({ profile, certificate }) => newCertificateRow(ca.id, certificate, profile, requester, now));
    const outbox = rows.map((row) => publicationRow(ca.name, { kind: 'certificate', serial: row.serial }, now));
    const events = rows.map((row) => ({
      action: 'ca.certificate.issue',
      outcome: 'success' as const,
      actor: requester,
      target: `${ca.name}/${row.serial}`,
      details: { ca: ca.name, serial: row.serial, profile: row.profile, subject: row.subject, fingerprint: row.fingerprint, notAfter: row.notAfter.toISOString(), ...extra },
    }));
    return { rows, related: [{ entity: PublicationOutbox, rows: outbox }], events };
  }
}


interface SignedCertificate {
  profile: string;
  certificate: ReturnType<typeof parseCertificate>;
}

function isProblem(entry: object): entry is ProblemDocument {
  return 'status' in entry && 'type' in entry;
}

/** An item whose certificate could not be stored: nothing of it was issued, the caller may send it again. */
export function notStored(error: unknown): ProblemDocument {
  const message = `the certificate could not be stored (${(error as Error).message}); nothing was issued for this item, send it again`;
  return new ProblemException({ status: 503, type: 'certificate-not-stored', title: 'Certificate not stored', detail: message, errors: [{ field: 'request', rule: 'storage.failed', message }] }).asProblemDocument();
}

/** The audit record of a batch item that was refused: stored with the batch's certificates, nothing else. */
function refusalRecord(ca: CertificateAuthority, item: BatchItem, index: number, problem: ProblemDocument, requester: string): PendingIssuance {
  const event: AuditEventInput = {
    action: 'ca.certificate.refuse',
    outcome: 'failure',
    actor: requester,
    target: `${ca.name}/items[${index}]`,
    details: { ca: ca.name, profile: item.profile, item: index, status: problem.status, type: problem.type, errors: (problem.errors ?? []).map(({ field, rule }) => ({ field, rule })) },
  };
  return { rows: [], events: [event] };
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
    pem: toPem(row.der, 'CERTIFICATE'),
    chain: ca.chainPem(),
  };
}
