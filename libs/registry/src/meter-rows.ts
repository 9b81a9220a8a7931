/** The rows and changes a meter's certification stores with its certificate (see CertificateIssuer.issueChecked). */
import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '@smpki/audit';
import { CaCertificate, markRevoked, type IssuanceAttachment } from '@smpki/ca';
import type { CrlReason } from '@smpki/crypto';
import type { EntityManager } from 'typeorm';
import { Meter } from './entities';
import type { MeterItem, RegistrationCaller } from './meter-item';

/** The meter row changed between reading it and storing its replacement (another replacement won): decided again. */
export class MeterChangedError extends Error {
  constructor(readonly meterId: string) {
    super(`meter ${meterId} changed while its replacement was being issued`);
    this.name = 'MeterChangedError';
  }
}

/** The descriptive columns an item sets (absent fields keep what is stored). */
function descriptive(item: MeterItem): Partial<Meter> {
  const values: Partial<Meter> = {};
  if (item.type !== undefined) values.type = item.type;
  if (item.model !== undefined) values.model = item.model;
  if (item.firmwareVersion !== undefined) values.firmwareVersion = item.firmwareVersion;
  if (item.calibrationDate !== undefined) values.calibrationDate = item.calibrationDate;
  if (item.calibrationStation !== undefined) values.calibrationStation = item.calibrationStation;
  return values;
}

function certifyEvent(caller: RegistrationCaller, item: MeterItem, certificate: CaCertificate, keyFingerprint: string, replaced?: string): AuditEventInput {
  return {
    action: 'registry.meter.certify',
    outcome: 'success',
    actor: caller.requester,
    target: `meter/${item.meterId}`,
    details: { meterId: item.meterId, manufacturer: caller.manufacturer.id, serial: certificate.serial, keyFingerprint, ...(replaced ? { replaced } : {}) },
  };
}

/** A new meter: its row goes in with its certificate; the unique index on meter_id refuses a second one. */
export function newMeterAttachment(caller: RegistrationCaller, item: MeterItem, keyFingerprint: string) {
  return (certificate: CaCertificate): IssuanceAttachment => {
    const now = new Date();
    const row = Object.assign(new Meter(), {
      id: randomUUID(),
      manufacturerId: caller.manufacturer.id,
      meterId: item.meterId,
      type: item.type ?? 'electricity',
      model: item.model ?? null,
      firmwareVersion: item.firmwareVersion ?? null,
      calibrationDate: item.calibrationDate ?? null,
      calibrationStation: item.calibrationStation ?? null,
      status: 'certified' as const,
      certificateSerial: certificate.serial,
      keyFingerprint,
      createdAt: now,
      updatedAt: now,
    });
    return { related: [{ entity: Meter, rows: [row] }], events: [certifyEvent(caller, item, certificate, keyFingerprint)] };
  };
}

export interface Replaced {
  meter: Meter;
  /** ca_authority.id and name of the calibration CA that issued the old certificate. */
  authorityId: string;
  caName: string;
  reason: CrlReason;
}

/**
 * A re-enrolled meter: its row points to the new certificate and the old one is revoked, in the transaction that
 * stores the new one. The row is only changed if it still points to the certificate read before (else
 * MeterChangedError: a concurrent replacement won and the item is decided again).
 */
export function replacementAttachment(caller: RegistrationCaller, item: MeterItem, keyFingerprint: string, replaced: Replaced) {
  return (certificate: CaCertificate): IssuanceAttachment => {
    const oldSerial = replaced.meter.certificateSerial!;
    const now = new Date();
    const within = async (manager: EntityManager): Promise<void> => {
      const moved = await manager.update(
        Meter,
        { id: replaced.meter.id, certificateSerial: oldSerial, status: 'certified' },
        { ...descriptive(item), certificateSerial: certificate.serial, keyFingerprint, updatedAt: now },
      );
      if (moved.affected !== 1) throw new MeterChangedError(item.meterId);
      // Already revoked (an operator revoked it through the CA API) is fine: the meter moves on all the same.
      await markRevoked(manager, { authorityId: replaced.authorityId, caName: replaced.caName, serial: oldSerial, reason: replaced.reason, at: now });
    };
    const revokeEvent: AuditEventInput = {
      action: 'ca.certificate.revoke',
      outcome: 'success',
      actor: caller.requester,
      target: `${replaced.caName}/${oldSerial}`,
      details: { ca: replaced.caName, serial: oldSerial, reason: replaced.reason, meterId: item.meterId, replacedBy: certificate.serial },
    };
    return { within, events: [revokeEvent, certifyEvent(caller, item, certificate, keyFingerprint, oldSerial)] };
  };
}
