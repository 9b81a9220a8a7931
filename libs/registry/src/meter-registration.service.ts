/**
 * Meter registration at calibration. Per item: the meter id is checked against the caller (format, FLAG id,
 * duplicates in the batch), the request's proof of possession and key are checked under the meter profile with
 * the subject built from the id, and the stored meter decides (registration-decision.ts): a new meter is
 * certified, the same key again returns the stored certificate, another key is refused unless it is a replacement.
 * A meter row and its certificate commit in one transaction (CertificateIssuer.issueChecked); the unique index on
 * meter_id referees concurrent and repeated registrations, whose loser is decided again against the winner's row.
 * One bad item never fails the others; every refusal is audited.
 */
import type { AuditEventInput, AuditTrail } from '@smpki/audit';
import {
  batchTooLarge,
  isUniqueViolation,
  MAX_BATCH_ITEMS,
  type CaRegistry,
  type CertificateIssuer,
  type CheckedKeyRequest,
  type IssuedCertificate,
  type StoredIssuance,
} from '@smpki/ca';
import type { CrlReason } from '@smpki/crypto';
import { runInTransaction } from '@smpki/persistence';
import { ProblemException } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import type { Meter } from './entities';
import { certificatesBySerial, metersById, metersByKey } from './meter-certificates';
import { flagIdOf, keyFingerprint, METER_ID_PATTERN, meterSubject } from './meter-identity';
import type { IndexedMeterItem, MeterItem, MeterItemResult, RegistrationCaller, StreamMeterIds } from './meter-item';
import { MeterChangedError, newMeterAttachment, replacementAttachment } from './meter-rows';
import { decideRegistration, type RegistrationDecision } from './registration-decision';
import { duplicateInBatch, foreignFlag, keyReused, meterIdFormat, notStored, unknownMeter } from './registry-problems';

export interface MeterCertificateOptions {
  /** CA instance certifying meters (default `calibration`). */
  ca: string;
  /** Default `meter-calibration`. */
  profile: string;
}

export const DEFAULT_METER_CERTIFICATE_OPTIONS: MeterCertificateOptions = { ca: 'calibration', profile: 'meter-calibration' };

/** An item on its way: where its result goes, and its replacement reason when it is one. */
interface Entry {
  index: number;
  item: MeterItem;
  reason?: CrlReason;
}

/** The results of one call, by the entries' index. */
type Results = Map<number, MeterItemResult>;

function batchEntry(index: number, item: MeterItem): Entry {
  return { index, item, ...(item.replacement ? { reason: 'superseded' as const } : {}) };
}

interface CheckedEntry extends Entry {
  request: CheckedKeyRequest;
  fingerprint: string;
}

export class MeterRegistrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: CaRegistry,
    private readonly issuer: CertificateIssuer,
    private readonly audit: AuditTrail,
    private readonly options: MeterCertificateOptions = DEFAULT_METER_CERTIFICATE_OPTIONS,
    /** Called after a replacement revoked certificates (the service signs a CRL when the CA says crlOnRevocation). */
    private readonly afterRevocation?: (caName: string) => Promise<unknown>,
  ) {}

  /** A production batch: one result per item, in order. Oversized batches are refused whole (413). */
  async registerBatch(caller: RegistrationCaller, items: readonly MeterItem[]): Promise<MeterItemResult[]> {
    if (items.length > MAX_BATCH_ITEMS) throw batchTooLarge(items.length);
    return this.register(caller, items.map((item, index) => batchEntry(index, item)));
  }

  /**
   * One chunk of a stream (POST /v1/meters/stream), through the batch's path: `seen` is the stream's memory of
   * meter ids (id -> index of its first item), shared by its chunks, so an id repeated in a later chunk is refused
   * as a duplicate like one repeated within a batch. Results come in the chunk's order; `index` numbers the item
   * in the stream (duplicate messages and the audit name it).
   */
  async registerStreamChunk(caller: RegistrationCaller, items: readonly IndexedMeterItem[], seen: StreamMeterIds): Promise<MeterItemResult[]> {
    if (items.length > MAX_BATCH_ITEMS) throw batchTooLarge(items.length);
    return this.register(caller, items.map(({ index, item }) => batchEntry(index, item)), seen);
  }

  /** Re-enrolment of one registered meter with a new key; the old certificate is revoked with `reason`. 404 for a meter not the caller's. */
  async replace(caller: RegistrationCaller, item: MeterItem, reason: CrlReason): Promise<MeterItemResult> {
    const meter = (await metersById(this.dataSource, [item.meterId])).get(item.meterId);
    if (!meter || meter.manufacturerId !== caller.manufacturer.id) throw unknownMeter(item.meterId);
    const [result] = await this.register(caller, [{ index: 0, item, reason }]);
    return result!;
  }

  /** `seen`: meter ids met before these entries (a stream's earlier chunks); a batch starts with none. */
  private async register(caller: RegistrationCaller, entries: readonly Entry[], seen: StreamMeterIds = new Map()): Promise<MeterItemResult[]> {
    const results: Results = new Map();
    const refuse = (entry: Entry, problem: ProblemException) => results.set(entry.index, { status: 'refused', meterId: entry.item.meterId, problem });
    const checked = this.oneMeterPerKey(await this.checkKeys(this.screen(caller, entries, seen, refuse), refuse), refuse);
    const { byId, byKey } = await this.storedFor(checked);
    const decided = checked.map((entry) => ({
      entry,
      decision: decideRegistration(caller.manufacturer.id, entry.item.meterId, entry.fingerprint, byId.get(entry.item.meterId), byKey.get(entry.fingerprint), entry.reason),
    }));
    await this.settle(caller, decided, results, refuse);
    await this.auditRefusals(caller, entries, results);
    return entries.map((entry) => results.get(entry.index)!);
  }

  /** Meter id format, FLAG id of the caller, duplicates: refused here, before any request is parsed. */
  private screen(caller: RegistrationCaller, entries: readonly Entry[], first: StreamMeterIds, refuse: (entry: Entry, problem: ProblemException) => void): Entry[] {
    return entries.filter((entry) => {
      const { meterId } = entry.item;
      const seen = first.get(meterId);
      if (!METER_ID_PATTERN.test(meterId)) refuse(entry, meterIdFormat(meterId, METER_ID_PATTERN));
      else if (flagIdOf(meterId) !== caller.manufacturer.flagId) refuse(entry, foreignFlag(meterId, caller.manufacturer.flagId));
      else if (seen !== undefined) refuse(entry, duplicateInBatch(meterId, seen));
      else {
        first.set(meterId, entry.index);
        return true;
      }
      return false;
    });
  }

  /** The same key for two meters of one batch: every occurrence after the first is refused. */
  private oneMeterPerKey(entries: readonly CheckedEntry[], refuse: (entry: Entry, problem: ProblemException) => void): CheckedEntry[] {
    const seen = new Set<string>();
    return entries.filter((entry) => {
      if (!seen.has(entry.fingerprint)) return seen.add(entry.fingerprint), true;
      refuse(entry, keyReused(entry.item.meterId));
      return false;
    });
  }

  /** The stored meters by id, and the meters holding the entries' keys. */
  private async storedFor(entries: readonly CheckedEntry[]): Promise<{ byId: Map<string, Meter>; byKey: Map<string, Meter> }> {
    const [byId, byKey] = await Promise.all([
      metersById(this.dataSource, entries.map((entry) => entry.item.meterId)),
      metersByKey(this.dataSource, entries.map((entry) => entry.fingerprint)),
    ]);
    return { byId, byKey };
  }

  /** Proofs of possession and profile checks, concurrently (on the verifier pool when the issuer has one). */
  private async checkKeys(entries: readonly Entry[], refuse: (entry: Entry, problem: ProblemException) => void): Promise<CheckedEntry[]> {
    const checked = await Promise.all(
      entries.map(async (entry): Promise<CheckedEntry | undefined> => {
        try {
          const request = await this.issuer.checkKeyRequest(this.options.ca, { profile: this.options.profile, request: entry.item.request, subject: meterSubject(entry.item.meterId) });
          return { ...entry, request, fingerprint: keyFingerprint(request.subjectPublicKeyInfo) };
        } catch (error) {
          if (!(error instanceof ProblemException)) throw error;
          refuse(entry, error);
          return undefined;
        }
      }),
    );
    return checked.filter((entry): entry is CheckedEntry => entry !== undefined);
  }

  /** Refusals, stored certificates and new issuances; an issuance that loses a race is decided again. */
  private async settle(
    caller: RegistrationCaller,
    decided: readonly { entry: CheckedEntry; decision: RegistrationDecision }[],
    results: Results,
    refuse: (entry: Entry, problem: ProblemException) => void,
  ): Promise<void> {
    const existing: { entry: CheckedEntry; meter: Meter }[] = [];
    const toIssue: { entry: CheckedEntry; decision: RegistrationDecision }[] = [];
    for (const { entry, decision } of decided) {
      if (decision.kind === 'refuse') refuse(entry, decision.problem);
      else if (decision.kind === 'existing') existing.push({ entry, meter: decision.meter });
      else toIssue.push({ entry, decision });
    }
    const lost = await this.issue(caller, toIssue, results);
    const { byId, byKey } = await this.storedFor(lost);
    for (const entry of lost) {
      // The winner's row decides: the same key is `existing`, another key a mismatch (no second replacement),
      // the key taken by another meter a reuse.
      const decision = decideRegistration(caller.manufacturer.id, entry.item.meterId, entry.fingerprint, byId.get(entry.item.meterId), byKey.get(entry.fingerprint));
      if (decision.kind === 'refuse') refuse(entry, decision.problem);
      else if (decision.kind === 'existing') existing.push({ entry, meter: decision.meter });
      else results.set(entry.index, { status: 'failed', meterId: entry.item.meterId, problem: notStored(new Error('the meter changed concurrently')) });
    }
    await this.answerExisting(existing, results);
  }

  /** Signs and stores; returns the entries that lost a race (unique violation, meter changed) to be decided again. */
  private async issue(caller: RegistrationCaller, toIssue: readonly { entry: CheckedEntry; decision: RegistrationDecision }[], results: Results): Promise<CheckedEntry[]> {
    const caName = this.options.ca;
    const authorityId = this.registry.get(caName).id;
    const outcomes = await this.issuer.issueChecked(
      caName,
      toIssue.map(({ entry, decision }) => ({
        request: entry.request,
        attach:
          decision.kind === 'replace'
            ? replacementAttachment(caller, entry.item, entry.fingerprint, { meter: decision.meter, authorityId, caName, reason: decision.reason })
            : newMeterAttachment(caller, entry.item, entry.fingerprint),
      })),
      caller.requester,
    );
    const lost: CheckedEntry[] = [];
    outcomes.forEach((outcome: StoredIssuance, position) => {
      const { entry } = toIssue[position]!;
      if (outcome.status === 'issued') results.set(entry.index, { status: 'issued', meterId: entry.item.meterId, certificate: outcome.certificate });
      else if (isUniqueViolation(outcome.error) || outcome.error instanceof MeterChangedError) lost.push(entry);
      else results.set(entry.index, { status: 'failed', meterId: entry.item.meterId, problem: notStored(outcome.error) });
    });
    const ca = this.registry.get(caName);
    if (toIssue.some(({ decision }, position) => decision.kind === 'replace' && outcomes[position]!.status === 'issued') && ca.config.crlOnRevocation) {
      await this.afterRevocation?.(caName);
    }
    return lost;
  }

  private async answerExisting(existing: readonly { entry: CheckedEntry; meter: Meter }[], results: Results): Promise<void> {
    const certificates = await certificatesBySerial(this.dataSource, this.registry, this.options.ca, existing.map(({ meter }) => meter.certificateSerial!));
    for (const { entry, meter } of existing) {
      const certificate: IssuedCertificate | undefined = certificates.get(meter.certificateSerial!);
      results.set(
        entry.index,
        certificate
          ? { status: 'existing', meterId: entry.item.meterId, certificate }
          : { status: 'failed', meterId: entry.item.meterId, problem: notStored(new Error(`certificate ${meter.certificateSerial} not found`)) },
      );
    }
  }

  private async auditRefusals(caller: RegistrationCaller, entries: readonly Entry[], results: Results): Promise<void> {
    const events = entries.flatMap(({ index, item }): AuditEventInput[] => {
      const result = results.get(index)!;
      if (result.status !== 'refused') return [];
      const problem = result.problem.asProblemDocument();
      return [{
        action: 'registry.meter.refuse',
        outcome: 'failure',
        actor: caller.requester,
        target: `meter/${item.meterId}`,
        details: { meterId: item.meterId, manufacturer: caller.manufacturer.id, item: index, status: problem.status, errors: (problem.errors ?? []).map(({ field, rule }) => ({ field, rule })) },
      }];
    });
    if (events.length > 0) await runInTransaction(this.dataSource, (manager) => this.audit.appendMany(events, manager));
  }
}
